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
/// (<see cref="StorageNames.Default"/>) and reminders on a silo; the gateway list on a client.
/// The providers read their SQL from the database's <c>OrleansQuery</c> table, so the database must have been
/// migrated (<see cref="Database.SchemaMigrator"/>) before the silo starts.
/// The grain-storage serializer is chosen elsewhere (not here).
/// </summary>
public static class PostgresWiring
{
    /// <summary>The ADO.NET invariant of Npgsql; the providers' default is SQL Server.</summary>
    public const string Invariant = "Npgsql";

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

    /// <summary>
    /// A client finds the gateways of the cluster in the membership table: the shared client wiring of
    /// <see cref="Cst.Actors.Connection.ClientWiring.UseCstGatewayDiscovery"/>, which the admin console uses too.
    /// </summary>
    public static IClientBuilder UseCstPostgres(this IClientBuilder builder, string connectionString) =>
        Cst.Actors.Connection.ClientWiring.UseCstGatewayDiscovery(builder, connectionString);

    private static void AddDataSource(IServiceCollection services, string connectionString)
    {
        // Orleans passes UTC DateTime values; a UTC session also reads one of unspecified kind as UTC.
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.Timezone))
        {
            builder.Timezone = "UTC";
        }

        // One pool for the three providers; the container disposes it when the host stops (Orleans does not).
        var configured = builder.ConnectionString;
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
