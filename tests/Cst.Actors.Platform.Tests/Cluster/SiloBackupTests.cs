using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Platform.Tests.Postgres;
using static Cst.Actors.Platform.Tests.Cluster.SiloProcessTests;

namespace Cst.Actors.Platform.Tests.Cluster;

/// <summary><c>cst-silo backup</c> and <c>restore</c>, and no database password on a command line.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection(PostgresCollection.Name)]
public sealed class SiloBackupTests(PostgresFixture postgres)
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(60);

    private const string Totals =
        "SELECT 'total ' || row_to_json(t)::text FROM billing_total t "
        + "UNION ALL SELECT 'service ' || row_to_json(s)::text FROM billing_total_by_service s ORDER BY 1";

    private const string GrainStates =
        "SELECT grain_type || ' ' || coalesce(grain_id_extension, '') || ' ' || grain_id_n0 || ' ' || grain_id_n1 || ' v' || version "
        + "|| ' ' || md5(payload) FROM orleans_storage ORDER BY 1";

    [Fact]
    public async Task Backup_OfARunningCluster_RestoredIntoANewDatabase_GivesTheSameTotalsAndGrainStates()
    {
        var source = await postgres.CreateDatabaseAsync();
        var clusterId = "backup-" + Guid.NewGuid().ToString("N")[..6];
        var directory = Directory.CreateTempSubdirectory("cst-backup-");
        var file = Path.Combine(directory.FullName, "cst.dump");
        try
        {
            await using var silo = SiloProcess.Start(
                ["--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(), "--cluster-id", clusterId, "--demo-data", "Always"],
                new Dictionary<string, string> { ["CST_ConnectionStrings__Cst"] = source });
            await silo.WaitForOutputAsync("Demo data loaded", StartBound);
            var year = DateTime.UtcNow.Year;
            await SiloMonitoringTests.WithClientAsync(source, clusterId, async client =>
            {
                var run = client.GetGrain<IBillingRunGrain>(BillingRunKey.For(year, BillingRunMode.Preview));
                var progress = await run.StartAsync("backup-test");
                var elapsed = Stopwatch.StartNew();
                while (progress.Status == BillingRunStatus.Running)
                {
                    Assert.True(elapsed.Elapsed < StartBound, $"the preview of {year} did not complete: {progress}");
                    await Task.Delay(200);
                    progress = await run.GetProgressAsync();
                }

                return progress;
            });

            // While the silo runs.
            await using (var backup = SiloProcess.Start(["backup", "--out", file], new Dictionary<string, string> { ["CST_ConnectionStrings__Cst"] = source }))
            {
                var exit = await backup.WaitForExitAsync(StopBound);
                Assert.True(exit == 0, $"backup exited {exit}: {backup.Output}");
            }

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            var totals = await PostgresRows.ReadAsync(source, Totals);
            var states = await PostgresRows.ReadAsync(source, GrainStates);
            Assert.Contains(totals, t => t.StartsWith("total ", StringComparison.Ordinal));
            Assert.True(states.Count > 102, $"expected the grain states of the demo enti, found {states.Count}");

            var target = await postgres.CreateEmptyDatabaseAsync();
            await using (var restore = SiloProcess.Start(["restore", file], new Dictionary<string, string> { ["CST_ConnectionStrings__Cst"] = target }))
            {
                var exit = await restore.WaitForExitAsync(StopBound);
                Assert.True(exit == 0, $"restore exited {exit}: {restore.Output}");
            }

            Assert.Equal(totals, await PostgresRows.ReadAsync(target, Totals));
            Assert.Equal(states, await PostgresRows.ReadAsync(target, GrainStates));

            // A second restore into the now filled database is refused and changes nothing.
            await using (var again = SiloProcess.Start(["restore", file], new Dictionary<string, string> { ["CST_ConnectionStrings__Cst"] = target }))
            {
                Assert.Equal(1, await again.WaitForExitAsync(StopBound));
                Assert.Contains("already holds tables", again.Output, StringComparison.Ordinal);
            }

            Assert.Equal(states, await PostgresRows.ReadAsync(target, GrainStates));
            Assert.Equal(0, await silo.SignalAndWaitAsync("TERM", StopBound));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("--connection-string", "Host=127.0.0.1;Database=cst;Username=cst;Password=s3cret-on-the-line")]
    [InlineData("--ConnectionStrings:Cst=Host=127.0.0.1;Database=cst;Username=cst;Password=s3cret-on-the-line")]
    [InlineData("backup", "--out", "/tmp/never.dump", "--connection-string", "Host=127.0.0.1;Password=s3cret-on-the-line;Username=cst")]
    public async Task Silo_PasswordOnTheCommandLine_IsRefusedSayingWhereToPutIt(params string[] arguments)
    {
        await using var silo = SiloProcess.Start(arguments, new Dictionary<string, string>());

        var exitCode = await silo.WaitForExitAsync(StopBound);

        Assert.True(exitCode == 2, $"expected exit code 2, got {exitCode}; output:\n{silo.Output}");
        var line = Assert.Single(silo.Output.Trim().Split('\n'));
        Assert.Contains("password", line, StringComparison.Ordinal);
        Assert.Contains("CST_ConnectionStrings__Cst", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-on-the-line", line, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
