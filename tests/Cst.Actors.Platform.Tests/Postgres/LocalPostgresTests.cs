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
        var crashed = LocalPostgres.Create(settings, NullLogger.Instance);
        await crashed.StartAsync(CancellationToken.None);

        // As if the owning process had died: nobody stops it, a new instance starts on the same directory.
        await using var next = LocalPostgres.Create(settings, NullLogger.Instance);
        await next.StartAsync(CancellationToken.None);
        Assert.Equal(1, await ScalarAsync<int>(next.ConnectionString, "SELECT 1"));

        await next.StopAsync(CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(settings.DataDirectory, "postmaster.pid")), "server still running after stop");
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

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
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
