using System.Diagnostics;
using Cst.Actors.Contracts.Serialization;
using Cst.Actors.Domain;
using Cst.Actors.Grains.Infrastructure;
using Cst.Actors.Platform.Tests.Cluster;
using Cst.Actors.Platform.Tests.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using NodaTime.Extensions;
using Npgsql;
using Orleans.Hosting;
using Orleans.Reminders;
using Orleans.TestingHost;

namespace Cst.Actors.Grains.Tests;

/// <summary>
/// One production-wired cluster (<c>ConfigureCstSilo</c> through the platform tests' <see cref="CstTestCluster"/>) on a
/// fresh PostgreSQL database, with one <see cref="FakeTimeProvider"/> that drives both the reminders and the grains'
/// <see cref="IClock"/>. The clock only moves forward: tests take their dates relative to <see cref="Today"/>.
/// </summary>
public sealed class GrainsCluster : IAsyncLifetime
{
    /// <summary>The instant the fake clock starts at: 15 June 2026, 10:00 in Rome.</summary>
    public static readonly DateTimeOffset Start = new(2026, 6, 15, 8, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan ReminderBound = TimeSpan.FromSeconds(40);

    private readonly PostgresFixture _postgres = new();

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public FakeTimeProvider Time { get; } = new(Start);

    public string ConnectionString { get; private set; } = string.Empty;

    public LocalDate Today => Time.ToClock().Today();

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        ConnectionString = await _postgres.CreateDatabaseAsync();
        Cluster = await DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        await _postgres.DisposeAsync();
    }

    /// <summary>A cluster of one silo on this fixture's database and clock (also used to restart after a stop).</summary>
    public async Task<TestCluster> DeployAsync()
    {
        var builder = CstTestCluster.Create(ConnectionString, silos: 1, clusterId: "cst-grains-" + Guid.NewGuid().ToString("N")[..6],
            reminderClock: Time);
        var cluster = builder.Build();
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

    public async Task RestartAsync(Func<Task> whileDown)
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await whileDown();
        Cluster = await DeployAsync();
    }

    /// <summary>Moves the fake clock to <paramref name="instant"/> (never back).</summary>
    public void SetTime(Instant instant)
    {
        if (instant.ToDateTimeOffset() > Time.GetUtcNow())
        {
            Time.SetUtcNow(instant.ToDateTimeOffset());
        }
    }

    /// <summary>Moves the clock to just after midnight in Rome of <paramref name="date"/> (when deadlines of that day are handled).</summary>
    public void SetToday(LocalDate date) => SetTime(BusinessTime.HandlingInstant(date) + Duration.FromMinutes(1));

    /// <summary>
    /// Lets the reminders fire for <paramref name="date"/>: the clock goes to two minutes before the handling instant,
    /// then forward in 20-second steps until <paramref name="done"/> holds, within a real-time bound.
    /// </summary>
    public async Task AdvanceUntilAsync(LocalDate date, Func<Task<bool>> done, string expected)
    {
        SetTime(BusinessTime.HandlingInstant(date) - Duration.FromMinutes(2));
        var elapsed = Stopwatch.StartNew();
        while (!await done())
        {
            if (elapsed.Elapsed > ReminderBound)
            {
                Assert.Fail($"expected {expected} by {Time.GetUtcNow():O} (reminder clock), within {ReminderBound.TotalSeconds} s");
            }

            Time.Advance(TimeSpan.FromSeconds(20));
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    public async Task<long> CountAsync(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The notices of an object, "Kind yyyy-MM-dd" in order of due date and kind.</summary>
    public Task<IReadOnlyList<string>> NoticesAsync(string objectKey) =>
        ReadAsync("SELECT kind || ' ' || to_char(due_date, 'YYYY-MM-DD') FROM notice WHERE object = $1 ORDER BY due_date, id", objectKey);

    /// <summary>The audit actions on an object, oldest first, as "operator action".</summary>
    public Task<IReadOnlyList<string>> AuditAsync(string auditObject) =>
        ReadAsync("SELECT operator || ' ' || action FROM audit WHERE object = $1 ORDER BY id", auditObject);

    /// <summary>
    /// Matches the stored rows of the grains keyed $1. Orleans stores a string key that reads as a hexadecimal number
    /// (an ISTAT code, a codice fiscale) as an integer key, in grain_id_n1 with no string part.
    /// </summary>
    public const string StoredKeyIs =
        "(grain_id_extension = $1 OR (grain_id_extension IS NULL AND $1 ~ '^[0-9a-fA-F]{1,16}$' AND grain_id_n0 = 0 "
        + "AND grain_id_n1 = ('x' || lpad($1, 16, '0'))::bit(64)::bigint))";

    /// <summary>The stored rows of grains keyed <paramref name="key"/>: type, version and a digest of the payload.</summary>
    public Task<IReadOnlyList<string>> StoredRowsAsync(string key) =>
        ReadAsync($"SELECT grain_type || ' v' || version || ' ' || md5(payload) FROM orleans_storage WHERE {StoredKeyIs} ORDER BY grain_type", key);

    public Task<IReadOnlyList<string>> ReadAsync(string sql, params object[] values) =>
        PostgresRows.ReadAsync(ConnectionString, sql, values);
}

/// <summary>The tests sharing one <see cref="GrainsCluster"/>; they run one after another, each with fresh keys.</summary>
[CollectionDefinition(Name)]
public sealed class GrainsCollection : ICollectionFixture<GrainsCluster>
{
    public const string Name = "grains";
}
