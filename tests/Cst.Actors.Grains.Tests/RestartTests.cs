using Cst.Actors.Contracts.Firma;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Domain.Deadlines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Orleans.Configuration;
using Orleans.TestingHost;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests;

/// <summary>Stops and restarts its own cluster, so it does not share one with the other tests.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly GrainsCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Deadline_ThatFellWhileTheClusterWasDown_IsHandledExactlyOnceAfterRestart()
    {
        var client = _cluster.Client;
        var ente = await NewComuneAsync(client, new LocalDate(2020, 1, 1));
        var serial = NewSerial();
        var expiry = _cluster.Today.PlusDays(100);
        var issued = await client.GetGrain<IFirmaDeviceGrain>(serial)
            .IssueAsync(new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "Mario Rossi", expiry.PlusYears(-3)), Operator);
        var warning = expiry.PlusDays(-90);
        Assert.Equal(warning, issued.Deadlines.ArmedFor);

        // The cluster is down on the day of the 90-day warning and comes back three days later.
        await _cluster.RestartAsync(() =>
        {
            _cluster.SetToday(warning.PlusDays(3));
            return Task.CompletedTask;
        });

        // The first call activates the device, which catches up.
        var after = await _cluster.Client.GetGrain<IFirmaDeviceGrain>(serial).GetAsync();
        Assert.Equal(warning.PlusDays(3), after.Deadlines.HandledThrough);
        Assert.Equal(expiry.PlusDays(-30), after.Deadlines.ArmedFor);
        Assert.Equal(DeadlineKind.ExpiryWarning30Days, after.Deadlines.NextKind);
        Assert.Equal([$"ExpiryWarning90Days {Iso(warning)}"], await _cluster.NoticesAsync(serial));

        // Another restart and more handling add nothing: the warning was handled once.
        await _cluster.RestartAsync(() => Task.CompletedTask);
        await _cluster.Client.GetGrain<IFirmaDeviceGrain>(serial).HandleDeadlinesAsync();
        Assert.Equal([$"ExpiryWarning90Days {Iso(warning)}"], await _cluster.NoticesAsync(serial));
        Assert.Equal(1, await _cluster.CountAsync(
            "SELECT count(*) FROM orleans_reminders WHERE grain_id LIKE '%' || $1", serial));

        // The re-armed reminder delivers the next warning by itself.
        await _cluster.AdvanceUntilAsync(expiry.PlusDays(-30),
            async () => (await _cluster.NoticesAsync(serial)).Count == 2,
            $"the 30-day warning of device {serial} after the restart");
    }

    [Fact]
    public async Task Deadlines_DueWhileTheClusterWasDown_AreNoticedSoonAfterStart_WithoutAnyCall_Once()
    {
        var client = _cluster.Client;
        var ente = await NewComuneAsync(client, new LocalDate(2020, 1, 1));

        // A mailbox whose disdetta of June makes it cease on 1 January 2027, and a BusinessKey issued on 3 January
        // 2024 whose certificates expire on 3 January 2027.
        var address = NewMailboxAddress();
        var mailbox = client.GetGrain<IPecMailboxGrain>(address);
        await mailbox.RequestAsync(new PecMailboxRequest(ente, "silver", new LocalDate(2025, 1, 10)), Operator);
        await mailbox.ActivateAsync(new LocalDate(2025, 1, 10), Operator);
        await mailbox.ReceiveDisdettaAsync(_cluster.Today, "PEC prot. 4711", Operator);
        var serial = NewSerial();
        var expiry = new LocalDate(2027, 1, 3);
        await client.GetGrain<IFirmaDeviceGrain>(serial)
            .IssueAsync(new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "Mario Rossi", expiry.PlusYears(-3)), Operator);

        // The cluster runs up to 30 December 2026 (what falls until then is handled)...
        _cluster.SetToday(new LocalDate(2026, 12, 30));
        await mailbox.HandleDeadlinesAsync();
        await client.GetGrain<IFirmaDeviceGrain>(serial).HandleDeadlinesAsync();
        Assert.DoesNotContain("Cessation 2027-01-01", await _cluster.NoticesAsync(address));
        Assert.DoesNotContain($"Expiry {Iso(expiry)}", await _cluster.NoticesAsync(serial));

        // ...is down over the new year, and starts again on 5 January 2027. Nobody calls the objects.
        await _cluster.RestartAsync(() =>
        {
            _cluster.SetToday(new LocalDate(2027, 1, 5));
            return Task.CompletedTask;
        });

        await WithinAsync(
            async () => (await _cluster.NoticesAsync(address)).Contains("Cessation 2027-01-01")
                && (await _cluster.NoticesAsync(serial)).Contains($"Expiry {Iso(expiry)}"),
            $"the cessation of mailbox {address} (1 January) and the expiry of device {serial} (3 January) noticed after the start of 5 January");
        var mailboxNotices = await _cluster.NoticesAsync(address);
        var deviceNotices = await _cluster.NoticesAsync(serial);
        Assert.Single(mailboxNotices, n => n == "Cessation 2027-01-01");
        Assert.Single(deviceNotices, n => n == $"Expiry {Iso(expiry)}");
        Assert.Equal(mailboxNotices.Count, mailboxNotices.Distinct().Count());
        Assert.Equal(deviceNotices.Count, deviceNotices.Distinct().Count());

        // Ceased and expired: nothing is left to wait for, so neither holds a reminder any more.
        await WithinAsync(async () => await _cluster.CountAsync(
                "SELECT count(*) FROM orleans_reminders WHERE grain_id LIKE '%' || $1 OR grain_id LIKE '%' || $2", address, serial) == 0,
            "the reminders of the ended mailbox and device removed");

        // Another restart, and more handling, notice nothing again.
        await _cluster.RestartAsync(() => Task.CompletedTask);
        await _cluster.Client.GetGrain<IPecMailboxGrain>(address).HandleDeadlinesAsync();
        await _cluster.Client.GetGrain<IFirmaDeviceGrain>(serial).HandleDeadlinesAsync();
        Assert.Equal(mailboxNotices, await _cluster.NoticesAsync(address));
        Assert.Equal(deviceNotices, await _cluster.NoticesAsync(serial));
    }

    [Fact]
    public void Silo_MembershipClock_ReadsATimestampNeverSetAsTheSilosAge_NotTheHostsUptime()
    {
        var services = ((InProcessSiloHandle)_cluster.Cluster.Silos[0]).ServiceProvider;
        var clock = services.GetRequiredKeyedService<TimeProvider>(TimeProviderNames.Membership);
        var threshold = 2 * services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value.LocalHealthDegradationMonitoringPeriod;

        // What Orleans' watchdog measures when its platform thread checks before the component thread's first timestamp
        // is recorded: the time since timestamp 0. With the system clock that is the host's uptime, hours on any server,
        // and the watchdog warns; with the silo's membership clock it is the silo's age, below the warning's threshold.
        var sinceUnset = clock.GetElapsedTime(0);
        Assert.True(sinceUnset < threshold,
            $"an unset watchdog timestamp reads as {sinceUnset} on the membership clock (host up {TimeProvider.System.GetElapsedTime(0)}); "
            + $"the watchdog warns above {threshold}");

        // Intervals are the system's.
        var start = clock.GetTimestamp();
        var system = TimeProvider.System.GetTimestamp();
        var interval = clock.GetElapsedTime(start);
        Assert.True((interval - TimeProvider.System.GetElapsedTime(system)).Duration() < TimeSpan.FromMilliseconds(50));
        Assert.Equal(TimeProvider.System.GetUtcNow().UtcDateTime, clock.GetUtcNow().UtcDateTime, TimeSpan.FromSeconds(1));
    }

    /// <summary>Waits for <paramref name="done"/> in real time, within a bound, the fake clock standing still.</summary>
    private static async Task WithinAsync(Func<Task<bool>> done, string expected)
    {
        var bound = TimeSpan.FromSeconds(30);
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (!await done())
        {
            if (elapsed.Elapsed > bound)
            {
                Assert.Fail($"expected {expected} within {bound.TotalSeconds} s of the start");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    [Fact]
    public async Task Statement_AfterAColdStart_ActivatesOnlyTheEnte_NotItsObjects()
    {
        var client = _cluster.Client;
        var ente = await NewComuneAsync(client, new LocalDate(2020, 1, 1));
        await client.GetGrain<Contracts.Enti.IEnteGrain>(ente).SetPopulationAsync(2025, 9_000, Operator);
        for (var i = 0; i < 3; i++)
        {
            var address = NewMailboxAddress();
            await client.GetGrain<Contracts.Pec.IPecMailboxGrain>(address)
                .RequestAsync(new Contracts.Pec.PecMailboxRequest(ente, "silver", new LocalDate(2025, 1, 1)), Operator);
            await client.GetGrain<Contracts.Pec.IPecMailboxGrain>(address).ActivateAsync(new LocalDate(2025, 1, 1), Operator);
        }

        var warm = await client.GetGrain<Contracts.Enti.IEnteGrain>(ente).GetStatementAsync(2025);
        await _cluster.RestartAsync(() => Task.CompletedTask);

        var cold = await _cluster.Client.GetGrain<Contracts.Enti.IEnteGrain>(ente).GetStatementAsync(2025);

        Assert.Equal(warm.Lines, cold.Lines);
        Assert.Equal(4, cold.Lines.Count);
        var stats = await _cluster.Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        Assert.DoesNotContain(stats, s => s.GrainType.Contains("PecMailbox", StringComparison.Ordinal) && s.ActivationCount > 0);
        Assert.Contains(stats, s => s.GrainType.Contains("EnteGrain", StringComparison.Ordinal) && s.ActivationCount > 0);
    }

    private static string Iso(LocalDate date) => NodaTime.Text.LocalDatePattern.Iso.Format(date);
}
