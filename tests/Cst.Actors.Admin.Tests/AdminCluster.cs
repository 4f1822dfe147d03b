using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Contracts.Serialization;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Enti;
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

namespace Cst.Actors.Admin.Tests;

/// <summary>
/// One production-wired cluster (the platform tests' <see cref="CstTestCluster"/>) on a fresh PostgreSQL database, its
/// clock fixed at <see cref="Start"/> so that dates on screen are known. Tests create their own enti (fresh keys).
/// </summary>
public sealed class AdminCluster : IAsyncLifetime
{
    /// <summary>20 November 2026, 10:00 in Rome: the disdetta warning (1 December) and deadline are near.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    public const string Operator = "admin-test";

    private static int _next = Random.Shared.Next(1, 400);

    private readonly PostgresFixture _postgres = new();

    public PostgresFixture Postgres => _postgres;

    public TestCluster Cluster { get; private set; } = null!;

    public FakeTimeProvider Time { get; } = new(Start);

    public string ConnectionString { get; private set; } = string.Empty;

    public LocalDate Today => Time.ToClock().GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/Rome"]).Date;

    public AdminSession Session(string operatorName = Operator) => new(Cluster.Client, operatorName);

    /// <summary>
    /// The console's read-only queries from this cluster's database on the cluster's fake clock, as command mode runs
    /// them; <paramref name="cluster"/> (default: this cluster's client) is what it starts for a stale enti row.
    /// </summary>
    public Task<DatabaseSession> DatabaseAsync(Func<Task<IGrainFactory>>? cluster = null, string? connectionString = null) =>
        DatabaseSession.OpenAsync(connectionString ?? ConnectionString, Time.ToClock(), cluster ?? (() => Task.FromResult<IGrainFactory>(Cluster.Client)), TimeSpan.FromSeconds(20));

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        ConnectionString = await _postgres.CreateDatabaseAsync();
        var builder = CstTestCluster.Create(ConnectionString, silos: 1, clusterId: "cst-admin-" + Guid.NewGuid().ToString("N")[..6], reminderClock: Time);
        Cluster = builder.Build();
        await Cluster.DeployAsync();
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

    public static string NewIstatCode()
    {
        var n = Interlocked.Increment(ref _next);
        return $"{500 + (n / 999 % 400):000}{1 + (n % 999):000}";
    }

    public static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 8)];

    /// <summary>
    /// A Comune adhered in 2023 with its 2026 population, a standard mailbox active since 2025 and a BusinessKey
    /// issued on 1 December 2023 (expires 1 December 2026). Returns its key, mailbox and device.
    /// </summary>
    public async Task<(string EnteId, string Mailbox, string Device, string Name)> NewEnteAsync(string? name = null, string? istat = null)
    {
        istat ??= NewIstatCode();
        var enteName = name ?? "Comune di " + Unique("Prova");
        var client = Cluster.Client;
        var ente = client.GetGrain<IEnteGrain>(istat);
        await ente.RegisterAsync(new EnteRegistration(enteName, EnteKind.Comune, istat, null, new LocalDate(2023, 1, 1), "cst-padova", null, null, null), Operator);
        await ente.SetPopulationAsync(2026, 4321, Operator);
        var mailbox = Unique("box").ToLowerInvariant() + "@pec.comune.example.it";
        var box = client.GetGrain<IPecMailboxGrain>(mailbox);
        await box.RequestAsync(new PecMailboxRequest(istat, "standard", new LocalDate(2025, 1, 10)), Operator);
        await box.ActivateAsync(new LocalDate(2025, 1, 15), Operator);
        var serial = Unique("BK-").ToUpperInvariant();
        await client.GetGrain<IFirmaDeviceGrain>(serial).IssueAsync(new FirmaDeviceIssue(istat, FirmaDeviceKind.BusinessKey, "Mario Rossi", new LocalDate(2023, 12, 1)), Operator);
        return (istat, mailbox, serial, enteName);
    }

    public Task<IReadOnlyList<string>> ReadAsync(string sql, params object[] values) =>
        PostgresRows.ReadAsync(ConnectionString, sql, values);
}

[CollectionDefinition(Name)]
public sealed class AdminCollection : ICollectionFixture<AdminCluster>
{
    public const string Name = "admin";
}
