using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cst.Actors.Connection;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Platform.Tests.Postgres;
using Cst.Actors.Silo.Database;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static Cst.Actors.Platform.Tests.Cluster.SiloProcessTests;

namespace Cst.Actors.Platform.Tests.Cluster;

/// <summary>The built silo's monitoring endpoints on the loopback: Prometheus metrics and the health check.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SiloMonitoringTests(PostgresFixture postgres)
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Metrics_AfterABillingRun_GiveOrleansRuntimeNpgsqlAndTheRunsEnti()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var clusterId = "metrics-" + Guid.NewGuid().ToString("N")[..6];
        var monitoringPort = FreePort();
        await using var silo = SiloProcess.Start(
            [
                "--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(), "--cluster-id", clusterId,
                "--demo-data", "Always", $"--Monitoring:Port={monitoringPort}",
            ],
            new Dictionary<string, string> { ["CST_ConnectionStrings__Cst"] = connectionString });
        await silo.WaitForOutputAsync("Demo data loaded", StartBound);
        Assert.Contains($"Monitoring on http://127.0.0.1:{monitoringPort}", silo.Output, StringComparison.Ordinal);

        // A preview of this year over the 102 demo comuni, started by a client as cst does.
        var year = DateTime.UtcNow.Year;
        var view = await WithClientAsync(connectionString, clusterId, async client =>
        {
            var run = client.GetGrain<IBillingRunGrain>(BillingRunKey.For(year, BillingRunMode.Preview));
            var progress = await run.StartAsync("metrics-test");
            var elapsed = Stopwatch.StartNew();
            while (progress.Status == BillingRunStatus.Running)
            {
                Assert.True(elapsed.Elapsed < RunBound, $"the preview of {year} did not complete within {RunBound.TotalSeconds} s: {progress}");
                await Task.Delay(200);
                progress = await run.GetProgressAsync();
            }

            return progress;
        });
        Assert.Equal(102, view.EntiTotal);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{monitoringPort}") };
        var metrics = await http.GetStringAsync("/metrics");
        var lines = metrics.Split('\n');

        // The project's meter: every ente of the run counted once, nothing pending.
        var billed = lines.Single(l => l.StartsWith("cst_billing_enti_billed_total{", StringComparison.Ordinal)
            && l.Contains($"year=\"{year}\"", StringComparison.Ordinal));
        Assert.Equal("102", billed.Split(' ')[1]);
        Assert.Contains(lines, l => l.StartsWith("cst_billing_runs_completed_total{", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("cst_billing_enti_pending{", StringComparison.Ordinal) && l.Split(' ')[1] == "0");

        // Orleans' own meters, the .NET runtime's and Npgsql's.
        Assert.Contains(lines, l => l.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("process_runtime_dotnet_", StringComparison.Ordinal) || l.StartsWith("dotnet_", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("db_client_", StringComparison.Ordinal));

        var dashboard = await http.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal(0, await silo.SignalAndWaitAsync("TERM", StopBound));
    }

    [Fact]
    public async Task Health_IsHealthyWhileEverythingRuns_AndUnhealthyOncePostgresStops()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "cst-health-" + Guid.NewGuid().ToString("N")[..12], "postgres");
        var postgresPort = FreePort();
        var monitoringPort = FreePort();
        try
        {
            await using var silo = SiloProcess.Start(
                [
                    "--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(), "--cluster-id", "health",
                    "--data-dir", dataDirectory, "--postgres-port", postgresPort.ToString(CultureInfo.InvariantCulture),
                    "--demo-data", "Never", $"--Monitoring:Port={monitoringPort}",
                ],
                new Dictionary<string, string>());
            await silo.WaitForOutputAsync("Silo started", StartBound);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{monitoringPort}") };

            var healthy = await http.GetAsync("/health");
            var body = await healthy.Content.ReadAsStringAsync();
            Assert.True(healthy.StatusCode == HttpStatusCode.OK, $"expected 200 Healthy, got {(int)healthy.StatusCode}: {body}");
            Assert.Contains("\"silo\":{\"status\":\"Healthy\"", body, StringComparison.Ordinal);

            await StopPostgresAsync(dataDirectory);
            var unhealthy = await http.GetAsync("/health");
            body = await unhealthy.Content.ReadAsStringAsync();
            Assert.True(unhealthy.StatusCode == HttpStatusCode.ServiceUnavailable, $"expected 503 once PostgreSQL stopped, got {(int)unhealthy.StatusCode}: {body}");
            Assert.Contains("\"database\":{\"status\":\"Unhealthy\"", body, StringComparison.Ordinal);
        }
        finally
        {
            await LocalPostgres.Create(new LocalPostgresSettings(dataDirectory, postgresPort), NullLogger.Instance).StopAsync(CancellationToken.None);
            NpgsqlConnection.ClearAllPools();
            var root = Path.GetDirectoryName(dataDirectory)!;
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>Stops the embedded server behind the silo's back, as a crash or an operator would.</summary>
    private static async Task StopPostgresAsync(string dataDirectory)
    {
        var pgCtl = Directory.EnumerateDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin", "pg_ctl")).Where(File.Exists).OrderDescending().First();
        var info = Environment.IsPrivilegedProcess
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", pgCtl, "stop", "-D", dataDirectory, "-m", "immediate", "-w"])
            : new ProcessStartInfo(pgCtl, ["stop", "-D", dataDirectory, "-m", "immediate", "-w"]);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.WorkingDirectory = "/";
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(StopBound);
        await process.WaitForExitAsync(bound.Token);
        Assert.True(process.ExitCode == 0, $"pg_ctl stop failed: {output}");
    }

    internal static async Task<T> WithClientAsync<T>(string connectionString, string clusterId, Func<IClusterClient, Task<T>> use)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:" + CstConnectionSettings.ConnectionStringName] = connectionString,
            [CstConnectionSettings.ClusterIdKey] = clusterId,
        }).Build();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client.UseCstCluster(CstConnectionSettings.ReadClient(configuration)));
        using var host = builder.Build();
        using (var bound = new CancellationTokenSource(StopBound))
        {
            await host.StartAsync(bound.Token);
        }

        try
        {
            return await use(host.Services.GetRequiredService<IClusterClient>());
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
