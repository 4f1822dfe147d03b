using System.Diagnostics;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Platform.Tests.Cluster;
using Cst.Actors.Platform.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using Npgsql;
using Orleans.Hosting;
using Orleans.TestingHost;
using Xunit.Abstractions;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Billing;

/// <summary>
/// Two silos on PostgreSQL (membership probes lowered by <see cref="CstTestCluster"/>); the silo running the final run
/// of 2025 is killed mid-run. The reminder resumes the run on the survivor, with no call to the run's grain, and it
/// ends with the same rows as an uninterrupted run of the same enti (the preview of 2025, a year that is over: the
/// same computation), none written twice.
/// </summary>
[Collection(BillingCollection.Name)]
public sealed class BillingFailoverTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private const int Enti = 40;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private const string Rows =
        """
        SELECT ente_id || ' ' || line_no || ' ' || line_key || ' ' || quantity || ' ' || amount || ' ' || coalesce(months::text, '-')
        FROM billing_line WHERE year = 2025 AND mode = $1 ORDER BY ente_id, line_no
        """;

    [Fact]
    public async Task FinalRun_SiloRunningItKilledMidRun_ResumesOnTheSurvivorAndEqualsAnUninterruptedRun()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var builder = CstTestCluster.Create(connectionString, silos: 2, clusterId: "cst-billing-failover", reminderClock: clock);
        builder.AddSiloBuilderConfigurator<SlowBilling>();
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var client = cluster.Client;

        // 40 Comuni, each with a quota and an antivirus contract: 80 lines.
        await Task.WhenAll(Enumerable.Range(0, Enti).Select(async i =>
        {
            var ente = await HandWorkedEnti.ComuneAsync(client, $"Comune {i:00}", new LocalDate(2010, 1, 1), (2025, 1000 + (i * 250)));
            await HandWorkedEnti.ServiceAsync(client, ente, "s.13", "base", new LocalDate(2024, 1, 1).PlusDays(i * 7), 5m + i);
        }));

        var uninterrupted = await BillingRuns.RunAsync(client, 2025, BillingRunMode.Preview);
        Assert.Equal((Enti, Enti, 2 * Enti), (uninterrupted.EntiTotal, uninterrupted.EntiDone, uninterrupted.Lines));

        var grain = client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2025, BillingRunMode.Final));
        var view = await grain.StartAsync(Operator);
        var elapsed = Stopwatch.StartNew();
        while (view.EntiDone < 8)
        {
            Assert.True(elapsed.Elapsed < Bound, "expected the final run to make progress");
            await Task.Delay(20);
            view = await grain.GetProgressAsync();
        }

        Assert.Equal(BillingRunStatus.Running, view.Status);
        var running = cluster.Silos.Single(s => s.SiloAddress.ToString() == view.RunningOn);
        await cluster.KillSiloAsync(running);
        output.WriteLine($"killed {running.SiloAddress} with {view.EntiDone} of {view.EntiTotal} enti done, after {elapsed.Elapsed.TotalSeconds:F1} s");

        // Nobody calls the run: the reminder's ticks (a minute apart on the fake clock) must resume it on the survivor.
        elapsed.Restart();
        while ((await PostgresRows.ReadAsync(connectionString, "SELECT status FROM billing_run WHERE year = 2025 AND mode = 'final'")).Single() != "completed")
        {
            Assert.True(elapsed.Elapsed < Bound, $"expected the run to complete on the survivor within {Bound.TotalSeconds} s of the kill");
            clock.Advance(TimeSpan.FromSeconds(20));
            await Task.Delay(200);
        }

        output.WriteLine($"completed {elapsed.Elapsed.TotalSeconds:F1} s after the kill");
        var final = await grain.GetProgressAsync();
        Assert.Equal((BillingRunStatus.Completed, Enti, Enti, 0, 2 * Enti), (final.Status, final.EntiTotal, final.EntiDone, final.EntiFailed, final.Lines));
        Assert.Equal(uninterrupted.RunningTotal, final.RunningTotal);
        Assert.Equal(await PostgresRows.ReadAsync(connectionString, Rows, "preview"), await PostgresRows.ReadAsync(connectionString, Rows, "final"));
        Assert.Equal([$"{Enti} {2 * Enti}"], await PostgresRows.ReadAsync(connectionString,
            "SELECT count(DISTINCT ente_id) || ' ' || count(*) FROM billing_line WHERE year = 2025 AND mode = 'final'"));
        Assert.Equal((await client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2025, BillingRunMode.Preview)).GetTotalsAsync()).ByService,
            (await grain.GetTotalsAsync()).ByService);
        await cluster.StopAllSilosAsync();
    }

    /// <summary>Two enti at a time with a pause after each, so the run lasts long enough to be killed mid-way.</summary>
    private sealed class SlowBilling : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.Services.Configure<BillingRunOptions>(o =>
            {
                o.MaxParallelism = 2;
                o.PausePerEnte = TimeSpan.FromMilliseconds(100);
                o.ProgressChunk = 5;
            });
    }
}
