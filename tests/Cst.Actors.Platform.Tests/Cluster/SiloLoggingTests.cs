using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cst.Actors.Platform.Tests.Postgres;
using Npgsql;
using static Cst.Actors.Platform.Tests.Cluster.SiloProcessTests;

namespace Cst.Actors.Platform.Tests.Cluster;

/// <summary>The silo's log lines as a sysadmin reads them: dated, JSON when asked, no password even at Debug level.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class SiloLoggingTests(PostgresFixture postgres)
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Silo_DefaultFormat_DatesEveryLine_AndLogsNoPasswordAtDebugLevel()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var password = new NpgsqlConnectionStringBuilder(connectionString).Password;
        Assert.False(string.IsNullOrEmpty(password));

        await using var silo = SiloProcess.Start(
            [
                "--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(), "--cluster-id", "logs",
                "--Logging:LogLevel:Default=Debug", "--Logging:LogLevel:Orleans=Debug", "--Logging:LogLevel:Microsoft=Debug",
            ],
            new Dictionary<string, string> { ["CST_ConnectionStrings__Cst"] = connectionString });
        await silo.WaitForOutputAsync("Silo started", StartBound);
        Assert.Equal(0, await silo.SignalAndWaitAsync("TERM", StopBound));

        // Each entry opens with the level and category, on a line that starts with the date (a message may wrap).
        var entries = silo.Output.Split('\n').Where(l => EntryStart().IsMatch(l)).ToList();
        Assert.True(entries.Count > 10, $"expected the silo's log entries; output:\n{silo.Output}");
        Assert.All(entries, line => Assert.Matches(DatedLine(), line));
        Assert.DoesNotContain(password, silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_FormatterNameJson_WritesOneJsonObjectPerLine()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var silo = SiloProcess.Start(
            ["--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(), "--cluster-id", "logs-json",
                "--Logging:Console:FormatterName=json"],
            new Dictionary<string, string> { ["CST_ConnectionStrings__Cst"] = connectionString });
        await silo.WaitForOutputAsync("Silo started", StartBound);
        Assert.Equal(0, await silo.SignalAndWaitAsync("TERM", StopBound));

        var lines = silo.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            var timestamp = entry.RootElement.GetProperty("Timestamp").GetString();
            Assert.True(DateTimeOffset.TryParse(timestamp, out var when) && when.Year >= 2026, $"no date in '{line}'");
            Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), $"no level in '{line}'");
        }

        Assert.Contains(lines, l => l.Contains("Silo started", StringComparison.Ordinal));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"(trce|dbug|info|warn|fail|crit): ")]
    private static partial Regex EntryStart();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} [+-]\d{2}:\d{2} (trce|dbug|info|warn|fail|crit): ")]
    private static partial Regex DatedLine();
}
