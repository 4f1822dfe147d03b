using Cst.Actors.Connection;
using Cst.Actors.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Cst.Actors.Silo.Hosting;

/// <summary>
/// Orleans' ADO.NET providers on the project's PostgreSQL database: membership, grain storage
/// (<see cref="StorageNames.Default"/>) and reminders on a silo. Clients find the gateways with
/// <see cref="ClientWiring.UseCstGatewayDiscovery"/>.
/// The providers read their SQL from the database's <c>OrleansQuery</c> table, so the database must have been
/// migrated (<see cref="Database.SchemaMigrator"/>) before the silo starts.
/// The grain-storage serializer is chosen elsewhere (not here).
/// </summary>
public static class PostgresWiring
{
    /// <summary>The ADO.NET invariant of Npgsql; the providers' default is SQL Server.</summary>
    public const string Invariant = ClientWiring.Invariant;

    public static ISiloBuilder UseCstPostgres(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        AddDataSource(builder.Services, connectionString);

        builder.UseAdoNetClustering((OptionsBuilder<AdoNetClusteringSiloOptions> options) =>
            options.Configure<CstDataSource>((o, ds) =>
            {
                o.Invariant = Invariant;
                o.DataSource = ds.DataSource;
            }));

        builder.AddAdoNetGrainStorage(StorageNames.Default, (OptionsBuilder<AdoNetGrainStorageOptions> options) =>
            options.Configure<CstDataSource>((o, ds) =>
            {
                o.Invariant = Invariant;
                o.DataSource = ds.DataSource;
            }));

        builder.UseAdoNetReminderService((OptionsBuilder<AdoNetReminderTableOptions> options) =>
            options.Configure<CstDataSource>((o, ds) =>
            {
                o.Invariant = Invariant;
                o.DataSource = ds.DataSource;
            }));

        return builder;
    }

    private static void AddDataSource(IServiceCollection services, string connectionString)
    {
        // One pool for the three providers; the container disposes it when the host stops (Orleans does not).
        var configured = ClientWiring.WithUtcSession(connectionString);
        services.TryAddSingleton(_ => new CstDataSource(NpgsqlDataSource.Create(configured)));
    }

    /// <summary>
    /// The shared data source under a type of our own, so it cannot collide with a data source registered for
    /// other purposes.
    /// </summary>
    internal sealed class CstDataSource(NpgsqlDataSource dataSource) : IAsyncDisposable, IDisposable
    {
        public NpgsqlDataSource DataSource { get; } = dataSource;

        public ValueTask DisposeAsync() => DataSource.DisposeAsync();

        public void Dispose() => DataSource.Dispose();
    }
}
