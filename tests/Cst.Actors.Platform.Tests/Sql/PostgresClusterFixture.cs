using Cst.Actors.Connection;
using Cst.Actors.Contracts.Serialization;
using Cst.Actors.Platform.Tests.Postgres;
using Cst.Actors.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Cst.Actors.Platform.Tests.Sql;

/// <summary>
/// Three silos wired with <see cref="PostgresWiring.UseCstPostgres(ISiloBuilder, string)"/> on one fresh database,
/// started together (no test-cluster membership: they meet through our membership table), and a client that finds
/// them through the same table. Shared by the provider contract tests; each test uses its own keys.
/// </summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    public const string ServiceId = "cst-sql-tests";
    private const string ConnectionStringKey = "CstTests:ConnectionString";

    // The server is shared with every other PostgresFixture user of the run.
    private readonly PostgresFixture _postgres = new();

    public TestCluster Cluster { get; private set; } = null!;

    public string ConnectionString { get; private set; } = string.Empty;

    public string ClusterId { get; } = "cst-sql-" + Guid.NewGuid().ToString("N")[..8];

    public PostgresFixture Postgres => _postgres;

    public IServiceProvider SiloServices(int index) => ((InProcessSiloHandle)Cluster.Silos[index]).ServiceProvider;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        ConnectionString = await _postgres.CreateDatabaseAsync();

        var builder = new TestClusterBuilder(3);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConfigureFileLogging = false;
        builder.Options.ServiceId = ServiceId;
        builder.Options.ClusterId = ClusterId;
        builder.Properties[ConnectionStringKey] = ConnectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
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

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        // The providers alone, plus the contracts' codec: every process that loads the grain interfaces needs it.
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.UseCstPostgres(siloBuilder.Configuration[ConnectionStringKey]!);
            siloBuilder.Services.AddCstSerialization();
        }
    }

    public sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            clientBuilder.UseCstGatewayDiscovery(configuration[ConnectionStringKey]!);
            clientBuilder.Services.AddCstSerialization();
        }
    }
}

/// <summary>Test classes sharing the three-silo cluster: <c>[Collection(PostgresClusterCollection.Name)]</c>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresClusterCollection : ICollectionFixture<PostgresClusterFixture>
{
    public const string Name = "postgres-cluster";
}
