using System.Net;
using System.Net.Sockets;
using Cst.Actors.Silo.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cst.Actors.Platform.Tests.Postgres;

/// <summary>The embedded server's own log is rotated, so it never fills the disk.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LocalPostgresLoggingTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cst-lpglog-" + Guid.NewGuid().ToString("N")[..12]);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
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
    public async Task Server_LogsThroughTheCollector_RotatedByDayAndSize()
    {
        var settings = new LocalPostgresSettings(Path.Combine(_root, "data"), FreePort(), "cst", Durable: false);
        await using var server = LocalPostgres.Create(settings, NullLogger.Instance);
        await server.StartAsync(CancellationToken.None);

        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        async Task<string> Show(string name)
        {
            await using var command = new NpgsqlCommand($"SHOW {name}", connection);
            return (string)(await command.ExecuteScalarAsync())!;
        }

        Assert.Equal("on", await Show("logging_collector"));
        Assert.Equal("10MB", await Show("log_rotation_size"));
        Assert.Equal("1d", await Show("log_rotation_age"));
        Assert.Equal("on", await Show("log_truncate_on_rotation"));
        Assert.Equal("postgresql-%a.log", await Show("log_filename"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(settings.DataDirectory, "log"), "postgresql-*.log"));
        await server.StopAsync(CancellationToken.None);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
