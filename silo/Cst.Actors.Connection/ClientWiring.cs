using Cst.Actors.Contracts.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Cst.Actors.Connection;

/// <summary>A client of the Cst.Actors cluster: gateways from the PostgreSQL membership table, the contracts' serialization.</summary>
public static class ClientWiring
{
    /// <summary>The ADO.NET invariant of Npgsql; the providers' default is SQL Server.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Finds the gateways of the cluster in the membership table of <paramref name="connectionString"/> (no gateway
    /// addresses are configured anywhere). Does not set the cluster and service ids.
    /// </summary>
    public static IClientBuilder UseCstGatewayDiscovery(this IClientBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        var configured = WithUtcSession(connectionString);
        builder.Services.TryAddSingleton(_ => new ClientDataSource(NpgsqlDataSource.Create(configured)));
        builder.UseAdoNetClustering((OptionsBuilder<AdoNetClusteringClientOptions> options) =>
            options.Configure<ClientDataSource>((o, ds) =>
            {
                o.Invariant = Invariant;
                o.DataSource = ds.DataSource;
            }));
        return builder;
    }

    /// <summary>
    /// The connection string with a UTC session time zone unless it names one: Orleans' ADO.NET providers pass UTC
    /// <see cref="DateTime"/> values, and a UTC session also reads one of unspecified kind as UTC.
    /// </summary>
    public static string WithUtcSession(string connectionString)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(csb.Timezone))
        {
            csb.Timezone = "UTC";
        }

        return csb.ConnectionString;
    }

    /// <summary>
    /// Everything a client of the cluster needs: gateway discovery, cluster and service ids, and
    /// <c>AddCstSerialization()</c> (domain records cross the wire as JSON).
    /// </summary>
    public static IClientBuilder UseCstCluster(this IClientBuilder builder, CstClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        builder.UseCstGatewayDiscovery(settings.ConnectionString);
        builder.Services.AddCstSerialization();
        builder.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        if (settings.Tls is { } tls)
        {
            builder.UseCstTls(tls);
        }

        return builder;
    }

    /// <summary>The client's own data source, disposed with the client's container.</summary>
    internal sealed class ClientDataSource(NpgsqlDataSource dataSource) : IAsyncDisposable, IDisposable
    {
        public NpgsqlDataSource DataSource { get; } = dataSource;

        public ValueTask DisposeAsync() => DataSource.DisposeAsync();

        public void Dispose() => DataSource.Dispose();
    }
}
