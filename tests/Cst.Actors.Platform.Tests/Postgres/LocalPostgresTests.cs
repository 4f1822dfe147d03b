using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cst.Actors.Silo.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cst.Actors.Platform.Tests.Postgres;

/// <summary>A server of its own (not the shared fixture): these tests start, stop and restart it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LocalPostgresTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cst-lpg-" + Guid.NewGuid().ToString("N")[..12]);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();

        // A test that failed half-way may have left its server running: stop it before removing its directory.
        var data = Path.Combine(_root, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            await LocalPostgres.Create(new LocalPostgresSettings(data, 1), NullLogger.Instance).StopAsync(CancellationToken.None);
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_SecondStart_KeepsDataAndDoesNotReinitialise()
    {
        var settings = new LocalPostgresSettings(Path.Combine(_root, "data"), FreePort(), "cst", Durable: false);

        var first = LocalPostgres.Create(settings, NullLogger.Instance);
        await first.StartAsync(CancellationToken.None);
        Assert.True(first.Initialised);
        await ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");
        await first.StopAsync(CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(settings.DataDirectory, "postmaster.pid")), "postmaster.pid left after stop");

        await using var second = LocalPostgres.Create(settings, NullLogger.Instance);
        await second.StartAsync(CancellationToken.None);
        Assert.False(second.Initialised);
        Assert.Equal(42, await ScalarAsync<int>(second.ConnectionString, "SELECT v FROM kept"));
        await second.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartAsync_AfterAnInterruptedFirstStart_BuildsTheClusterAgain()
    {
        var settings = new LocalPostgresSettings(Path.Combine(_root, "data"), FreePort(), "cst", Durable: false);

        // What a Ctrl-C during the first initdb leaves: an empty data directory and a half-made cluster beside it.
        Directory.CreateDirectory(settings.DataDirectory);
        var staging = settings.DataDirectory + ".initdb-incomplete";
        Directory.CreateDirectory(Path.Combine(staging, "base"));
        await File.WriteAllTextAsync(Path.Combine(staging, "postgresql.conf"), "# half written\n");

        await using var server = LocalPostgres.Create(settings, NullLogger.Instance);
        await server.StartAsync(CancellationToken.None);

        Assert.True(server.Initialised);
        Assert.False(Directory.Exists(staging), $"{staging} should be gone once the cluster is in place");
        Assert.True(File.Exists(Path.Combine(settings.DataDirectory, "PG_VERSION")), "no cluster in the data directory");
        Assert.Equal(1, await ScalarAsync<int>(server.ConnectionString, "SELECT 1"));
        await server.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartAsync_ServerLeftRunning_IsReusedAndStoppedByTheNewOwner()
    {
        var settings = new LocalPostgresSettings(Path.Combine(_root, "data"), FreePort(), "cst", Durable: false);
        var first = LocalPostgres.Create(settings, NullLogger.Instance);
        await first.StartAsync(CancellationToken.None);
        await first.StopAsync(CancellationToken.None);

        // What a process killed with its server running leaves: a server nobody holds the users' lock of.
        await PgCtlAsync("start", "-D", settings.DataDirectory, "-w", "-l", Path.Combine(settings.DataDirectory, "postmaster.log"), "-o", $"-p {settings.Port}");

        await using var next = LocalPostgres.Create(settings, NullLogger.Instance);
        await next.StartAsync(CancellationToken.None);
        Assert.Equal(1, await ScalarAsync<int>(next.ConnectionString, "SELECT 1"));

        await next.StopAsync(CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(settings.DataDirectory, "postmaster.pid")), "server still running after stop");
    }

    [Fact]
    public async Task StopAsync_SecondUserOfARunningServer_LeavesItRunningForTheFirst()
    {
        var settings = new LocalPostgresSettings(Path.Combine(_root, "data"), FreePort(), "cst", Durable: false);
        await using var first = LocalPostgres.Create(settings, NullLogger.Instance);
        await first.StartAsync(CancellationToken.None);
        await ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (7)");

        // As `cst-silo migrate --data-dir <the silo's>` does beside a running silo.
        await using (var second = LocalPostgres.Create(settings, NullLogger.Instance))
        {
            await second.StartAsync(CancellationToken.None);
            Assert.False(second.Initialised);
            Assert.Equal(7, await ScalarAsync<int>(second.ConnectionString, "SELECT v FROM kept"));
            await second.StopAsync(CancellationToken.None);
        }

        NpgsqlConnection.ClearAllPools();
        Assert.True(
            File.Exists(Path.Combine(settings.DataDirectory, "postmaster.pid")),
            "the server was stopped by the second process, which did not start it, while the first one still used it");
        Assert.Equal(7, await ScalarAsync<int>(first.ConnectionString, "SELECT v FROM kept"));

        await first.StopAsync(CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(settings.DataDirectory, "postmaster.pid")), "the last user left the server running");
    }

    [Fact]
    public async Task StopAsync_FirstUserLeavesWhileSecondUsesTheServer_SecondKeepsItAndStopsItLast()
    {
        var settings = new LocalPostgresSettings(Path.Combine(_root, "data"), FreePort(), "cst", Durable: false);
        await using var first = LocalPostgres.Create(settings, NullLogger.Instance);
        await first.StartAsync(CancellationToken.None);
        await using var second = LocalPostgres.Create(settings, NullLogger.Instance);
        await second.StartAsync(CancellationToken.None);

        await first.StopAsync(CancellationToken.None);

        NpgsqlConnection.ClearAllPools();
        Assert.Equal(1, await ScalarAsync<int>(second.ConnectionString, "SELECT 1"));
        await second.StopAsync(CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(settings.DataDirectory, "postmaster.pid")), "the last user left the server running");
    }

    [Fact]
    public async Task StartAsync_ServerInUseOnAnotherPort_IsRefusedAndKeepsRunning()
    {
        var settings = new LocalPostgresSettings(Path.Combine(_root, "data"), FreePort(), "cst", Durable: false);
        await using var first = LocalPostgres.Create(settings, NullLogger.Instance);
        await first.StartAsync(CancellationToken.None);

        var otherPort = settings with { Port = FreePort() };
        await using var second = LocalPostgres.Create(otherPort, NullLogger.Instance);
        var refused = await Assert.ThrowsAsync<LocalPostgresException>(() => second.StartAsync(CancellationToken.None));

        Assert.Contains($"running on port {settings.Port} for another process", refused.Message, StringComparison.Ordinal);
        NpgsqlConnection.ClearAllPools();
        Assert.Equal(1, await ScalarAsync<int>(first.ConnectionString, "SELECT 1"));
        await first.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Connection_WithoutThePassword_IsRefused()
    {
        var settings = new LocalPostgresSettings(Path.Combine(_root, "data"), FreePort(), "cst", Durable: false);
        await using var server = LocalPostgres.Create(settings, NullLogger.Instance);
        await server.StartAsync(CancellationToken.None);

        var passwordFile = settings.DataDirectory + ".password";
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));

        var wrong = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Password = "wrong", Pooling = false };
        var error = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<int>(wrong.ConnectionString, "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, error.SqlState);

        var none = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Password = null, Pooling = false };
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync<int>(none.ConnectionString, "SELECT 1"));
        await server.StopAsync(CancellationToken.None);
    }

    /// <summary>Runs pg_ctl by hand, as the postgres user when the tests run as root (as LocalPostgres does).</summary>
    private static async Task PgCtlAsync(params string[] args)
    {
        var pgCtl = Directory.EnumerateDirectories("/usr/lib/postgresql")
            .Select(dir => Path.Combine(dir, "bin", "pg_ctl"))
            .Where(File.Exists)
            .OrderDescending(StringComparer.Ordinal)
            .First();
        var start = Environment.IsPrivilegedProcess
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", pgCtl, .. args])
            : new ProcessStartInfo(pgCtl, args);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = "/";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(bound.Token);
        Assert.True(process.ExitCode == 0, $"pg_ctl {string.Join(' ', args)} exited {process.ExitCode}: {await output} {await error}");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The embedded server's own log is rotated, so it never fills the disk.</summary>
    [Fact]
    public async Task Server_LogsThroughTheCollector_RotatedByDayAndSize()
    {
        var settings = new LocalPostgresSettings(Path.Combine(_root, "data"), FreePort(), "cst", Durable: false);
        await using var server = LocalPostgres.Create(settings, NullLogger.Instance);
        await server.StartAsync(CancellationToken.None);

        Task<string> Show(string name) => ScalarAsync<string>(server.ConnectionString, $"SHOW {name}");

        Assert.Equal("on", await Show("logging_collector"));
        Assert.Equal("10MB", await Show("log_rotation_size"));
        Assert.Equal("1d", await Show("log_rotation_age"));
        Assert.Equal("on", await Show("log_truncate_on_rotation"));
        Assert.Equal("postgresql-%a.log", await Show("log_filename"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(settings.DataDirectory, "log"), "postgresql-*.log"));
        await server.StopAsync(CancellationToken.None);
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
