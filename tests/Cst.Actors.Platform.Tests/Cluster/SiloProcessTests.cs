using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Cst.Actors.Connection;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Platform.Tests.Postgres;
using Cst.Actors.Silo.Database;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cst.Actors.Platform.Tests.Cluster;

/// <summary>The built <c>cst-silo</c> program: starts, reports that the silo started, stops cleanly on a signal.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SiloProcessTests(PostgresFixture postgres)
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Silo_WithConnectionString_StartsAndExitsZeroOnSigterm()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var password = new NpgsqlConnectionStringBuilder(connectionString).Password;

        await using var silo = SiloProcess.Start(
            ["--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(), "--cluster-id", "smoke"],
            new Dictionary<string, string> { ["CST_ConnectionStrings__Cst"] = connectionString });
        await silo.WaitForOutputAsync("Silo started", StartBound);

        var exitCode = await silo.SignalAndWaitAsync("TERM", StopBound);

        Assert.True(exitCode == 0, $"expected exit code 0 after SIGTERM, got {exitCode}; output:\n{silo.Output}");
        Assert.Contains("Silo stopped", silo.Output, StringComparison.Ordinal);
        Assert.False(
            string.IsNullOrEmpty(password) || silo.Output.Contains(password, StringComparison.Ordinal),
            "the database password appeared in the silo's output");
    }

    [Fact]
    public async Task Silo_WithoutConnectionString_RunsEmbeddedPostgresAndStopsItOnCtrlC()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "cst-smoke-" + Guid.NewGuid().ToString("N")[..12], "postgres");
        var postgresPort = FreePort();
        try
        {
            await using var silo = SiloProcess.Start(
                [
                    "--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(),
                    "--data-dir", dataDirectory, "--postgres-port", postgresPort.ToString(), "--cluster-id", "smoke-embedded",
                ],
                new Dictionary<string, string>());
            await silo.WaitForOutputAsync("Silo started", StartBound);

            var exitCode = await silo.SignalAndWaitAsync("INT", StopBound);

            Assert.True(exitCode == 0, $"expected exit code 0 after SIGINT, got {exitCode}; output:\n{silo.Output}");
            Assert.Contains("Silo stopped", silo.Output, StringComparison.Ordinal);
            Assert.False(
                File.Exists(Path.Combine(dataDirectory, "postmaster.pid")),
                $"the embedded PostgreSQL in {dataDirectory} is still running after the silo exited; output:\n{silo.Output}");
        }
        finally
        {
            // Should the test fail with the server still up, stop it here rather than leave it running.
            await LocalPostgres.Create(new LocalPostgresSettings(dataDirectory, postgresPort), NullLogger.Instance)
                .StopAsync(CancellationToken.None);
            NpgsqlConnection.ClearAllPools();
            var root = Path.GetDirectoryName(dataDirectory)!;
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Migrate_BesideARunningSiloOnTheSameDataDirectory_LeavesTheSiloItsDatabase()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "cst-smoke-" + Guid.NewGuid().ToString("N")[..12], "postgres");
        var postgresPort = FreePort().ToString(CultureInfo.InvariantCulture);
        var clusterId = "smoke-migrate-" + Guid.NewGuid().ToString("N")[..6];
        try
        {
            await using var silo = SiloProcess.Start(
                [
                    "--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(),
                    "--data-dir", dataDirectory, "--postgres-port", postgresPort, "--cluster-id", clusterId, "--demo-data", "Never",
                ],
                new Dictionary<string, string>());
            await silo.WaitForOutputAsync("Silo started", StartBound);

            await using var migrate = SiloProcess.Start(
                ["migrate", "--data-dir", dataDirectory, "--postgres-port", postgresPort], new Dictionary<string, string>());
            var migrated = await migrate.WaitForExitAsync(StartBound);

            Assert.True(migrated == 0, $"expected cst-silo migrate to exit 0 beside the running silo, got {migrated}; output:\n{migrate.Output}");
            Assert.True(
                File.Exists(Path.Combine(dataDirectory, "postmaster.pid")),
                $"cst-silo migrate stopped the PostgreSQL server the running silo uses; migrate output:\n{migrate.Output}");

            // The silo still answers from its database: a client finds it in the membership table, and the audit
            // query is answered by the silo with SQL.
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                [CstConnectionSettings.EmbeddedDataDirectoryKey] = dataDirectory,
                [CstConnectionSettings.EmbeddedPortKey] = postgresPort,
                [CstConnectionSettings.ClusterIdKey] = clusterId,
            }).Build();
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.UseOrleansClient(client => client.UseCstCluster(CstConnectionSettings.ReadClient(configuration)));
            using (var client = builder.Build())
            {
                using var bound = new CancellationTokenSource(StopBound);
                await client.StartAsync(bound.Token);
                var audit = client.Services.GetRequiredService<IClusterClient>().GetGrain<IAdminQueryGrain>(IAdminQueryGrain.Key);
                await audit.AuditAsync(null, 1).WaitAsync(StopBound);
                await client.StopAsync(CancellationToken.None);
            }

            var exitCode = await silo.SignalAndWaitAsync("INT", StopBound);
            Assert.True(exitCode == 0, $"expected exit code 0 after SIGINT, got {exitCode}; output:\n{silo.Output}");
            Assert.False(
                File.Exists(Path.Combine(dataDirectory, "postmaster.pid")),
                $"the embedded PostgreSQL in {dataDirectory} is still running after the silo, its last user, exited; output:\n{silo.Output}");
        }
        finally
        {
            await LocalPostgres.Create(new LocalPostgresSettings(dataDirectory, int.Parse(postgresPort, CultureInfo.InvariantCulture)), NullLogger.Instance)
                .StopAsync(CancellationToken.None);
            NpgsqlConnection.ClearAllPools();
            var root = Path.GetDirectoryName(dataDirectory)!;
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("--silo-prot", "migrate", "--silo-prot", "5", "-x")]
    [InlineData("--silo-prot", "--silo-prot", "11112")]
    [InlineData("--silo-port", "migrate", "--silo-port", "11112")]
    [InlineData("--silo-port", "--silo-port", "99999")]
    [InlineData("--silo-port", "--silo-port", "eleven")]
    [InlineData("--gateway-port", "run", "--gateway-port")]
    [InlineData("--demo-data", "--demo-data", "Sometimes")]
    [InlineData("Silo:SiloPrt", "--Silo:SiloPrt=11112")]
    [InlineData("serve", "serve")]
    public async Task Silo_BadCommandLine_ExitsTwoWithOneLineNamingItBeforeStarting(string named, params string[] arguments)
    {
        // A database is given: should the line be accepted, the old program would migrate it or start a silo on it.
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var silo = SiloProcess.Start(arguments, new Dictionary<string, string> { ["CST_ConnectionStrings__Cst"] = connectionString });

        var exitCode = await silo.WaitForExitAsync(StopBound);

        Assert.True(exitCode == 2, $"expected exit code 2, got {exitCode}; output:\n{silo.Output}");
        var line = Assert.Single(silo.Output.Trim().Split('\n'));
        Assert.StartsWith("cst-silo: ", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_MigrateHelp_ListsTheMigrateOptionsOnly()
    {
        await using var silo = SiloProcess.Start(["migrate", "--help"], new Dictionary<string, string>());

        var exitCode = await silo.WaitForExitAsync(StopBound);

        Assert.True(exitCode == 0, $"expected exit code 0, got {exitCode}; output:\n{silo.Output}");
        Assert.Contains("--sql-dir", silo.Output, StringComparison.Ordinal);
        Assert.Contains("--connection-string", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("--silo-port", silo.Output, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The program built beside the tests, its output collected.</summary>
    internal sealed class SiloProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly object _gate = new();

        private SiloProcess(Process process) => _process = process;

        public string Output
        {
            get
            {
                lock (_gate)
                {
                    return _output.ToString();
                }
            }
        }

        public static SiloProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
        {
            var startInfo = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "cst-silo"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            foreach (var argument in arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            foreach (var (name, value) in environment)
            {
                startInfo.Environment[name] = value;
            }

            var process = new Process { StartInfo = startInfo };
            var silo = new SiloProcess(process);
            process.OutputDataReceived += (_, e) => silo.Append(e.Data);
            process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return silo;
        }

        public async Task WaitForOutputAsync(string text, TimeSpan bound)
        {
            var elapsed = Stopwatch.StartNew();
            while (!Output.Contains(text, StringComparison.Ordinal))
            {
                if (_process.HasExited || elapsed.Elapsed > bound)
                {
                    Assert.Fail(
                        $"expected '{text}' from cst-silo within {bound.TotalSeconds} s"
                        + (_process.HasExited ? $"; it exited with {_process.ExitCode}" : string.Empty)
                        + $"; output:\n{Output}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }

        public async Task<int> WaitForExitAsync(TimeSpan bound)
        {
            using var timeout = new CancellationTokenSource(bound);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"expected cst-silo to exit by itself within {bound.TotalSeconds} s; output:\n{Output}");
            }

            return _process.ExitCode;
        }

        public async Task<int> SignalAndWaitAsync(string signal, TimeSpan bound)
        {
            using (var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString()]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(bound);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"expected cst-silo to exit within {bound.TotalSeconds} s of SIG{signal}; output:\n{Output}");
            }

            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_gate)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }
}
