using System.Diagnostics;
using Cst.Actors.Platform.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace Cst.Actors.Platform.Tests.Cluster;

/// <summary>
/// The production silo composition on PostgreSQL: state and reminders survive a full restart; two silos share one
/// membership table and fail over. Each test gets a fresh migrated database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan ReminderBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GrainState_WithInstantAndLocalDate_SurvivesFullRestart()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var written = SampleState.Example();

        await using (var first = await DeployAsync(connectionString, silos: 1))
        {
            await first.Client.GetGrain<ISampleGrain>("restart").SetAsync(written);
            Assert.IsType<OrleansGrainStorageSerializer>(
                first.GetSiloServiceProvider().GetRequiredService<IGrainStorageSerializer>());
            await first.StopAllSilosAsync();
        }

        await using var second = await DeployAsync(connectionString, silos: 1);
        var (read, _, _) = await second.Client.GetGrain<ISampleGrain>("restart").GetAsync();

        Assert.NotNull(read);
        Assert.True(written.SameAs(read), $"expected {written} after the restart, read {read}");
        await second.StopAllSilosAsync();
    }

    [Fact]
    public async Task Reminder_FiresOnFakeClock_AndAgainAfterFullRestart()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        await using (var first = await DeployAsync(connectionString, silos: 1, clock))
        {
            var grain = first.Client.GetGrain<ISampleGrain>("ticking");
            await grain.StartTickingAsync();
            await AdvanceUntilTicksAsync(clock, grain, atLeast: 1);
            await first.StopAllSilosAsync();
        }

        await using var second = await DeployAsync(connectionString, silos: 1, clock);
        var again = second.Client.GetGrain<ISampleGrain>("ticking");
        var (_, ticksAfterRestart, _) = await again.GetAsync();
        await AdvanceUntilTicksAsync(clock, again, atLeast: ticksAfterRestart + 1);
        await second.StopAllSilosAsync();
    }

    [Fact]
    public async Task TwoSilos_HostingSiloKilled_GrainReactivatesOnSurvivorWithStateForTheSameClient()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var phase = Stopwatch.StartNew();
        await using var cluster = await DeployAsync(connectionString, silos: 2);
        output.WriteLine($"two silos deployed in {phase.Elapsed.TotalSeconds:F1} s");

        var hosts = await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Equal(2, hosts.Count);

        var grain = cluster.Client.GetGrain<ISampleGrain>("failover");
        var written = SampleState.Example(variant: 1);
        var hostAddress = await grain.SetAsync(written);
        var hosting = cluster.Silos.Single(s => s.SiloAddress.ToString() == hostAddress);
        var survivor = cluster.Silos.Single(s => s != hosting);

        phase.Restart();
        await cluster.KillSiloAsync(hosting);
        output.WriteLine($"{hosting.Name} killed in {phase.Elapsed.TotalSeconds:F1} s");

        // Calls fail until the survivor has declared the killed silo dead; the client must then carry on by itself.
        var elapsed = Stopwatch.StartNew();
        Exception? lastError = null;
        while (true)
        {
            try
            {
                var (read, _, silo) = await grain.GetAsync();
                Assert.Equal(survivor.SiloAddress.ToString(), silo);
                Assert.NotNull(read);
                Assert.True(written.SameAs(read), $"expected {written} on the survivor, read {read}");
                output.WriteLine($"reactivated on {survivor.Name} after {elapsed.Elapsed.TotalSeconds:F1} s; last error: {lastError?.GetType().Name ?? "none"}");
                break;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException && elapsed.Elapsed < FailoverBound)
            {
                lastError = e;
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail(
                    $"expected grain 'failover' to reactivate on the surviving silo {survivor.SiloAddress} within "
                    + $"{FailoverBound.TotalSeconds} s of killing {hosting.SiloAddress}; last error: {lastError ?? e}");
            }
        }

        // Still the same client (gateways from the membership table), now writing through the survivor.
        await grain.SetAsync(written with { Amount = 1m });
        var (rewritten, _, _) = await grain.GetAsync();
        Assert.Equal(1m, rewritten?.Amount);
        phase.Restart();
        await cluster.StopAllSilosAsync();
        output.WriteLine($"stopped in {phase.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<TestCluster> DeployAsync(string connectionString, short silos, FakeTimeProvider? clock = null)
    {
        var cluster = CstTestCluster.Create(connectionString, silos, reminderClock: clock).Build();
        try
        {
            await cluster.DeployAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static async Task AdvanceUntilTicksAsync(FakeTimeProvider clock, ISampleGrain grain, int atLeast)
    {
        // The reminder service loads and schedules reminders asynchronously: advance the fake clock a step at a time
        // until the tick has been persisted, within a real-time bound.
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var (_, ticks, _) = await grain.GetAsync();
            if (ticks >= atLeast)
            {
                return;
            }

            if (elapsed.Elapsed > ReminderBound)
            {
                Assert.Fail(
                    $"expected reminder '{SampleGrain.ReminderName}' to have ticked at least {atLeast} time(s) by "
                    + $"reminder-clock time {clock.GetUtcNow():O} (within {ReminderBound.TotalSeconds} s), saw {ticks}");
            }

            clock.Advance(TimeSpan.FromSeconds(20));
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
