using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Cst.Actors.Connection;
using Cst.Actors.Contracts.Serialization;
using Cst.Actors.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using NodaTime.Extensions;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Reminders;
using Orleans.TestingHost;

namespace Cst.Actors.Platform.Tests.Cluster;

/// <summary>
/// Test clusters on PostgreSQL built with the production composition (<see cref="CstSiloBuilderExtensions.ConfigureCstSilo"/>):
/// real TCP between silos and client, membership, storage and reminders in the given database, and a client that
/// finds the gateways in the membership table. Only what a test must control is changed: faster failure detection
/// and, when asked, a fake clock for reminders.
/// </summary>
public static class CstTestCluster
{
    private const string ConnectionStringKey = "CstTest:ConnectionString";
    private const string ClockKey = "CstTest:ReminderClock";

    private static readonly ConcurrentDictionary<string, FakeTimeProvider> Clocks = new();

    /// <summary>The issuer of the statements in every test cluster (section Issuer, as appsettings.json gives it).</summary>
    public static readonly IReadOnlyDictionary<string, string> TestIssuer = new Dictionary<string, string>
    {
        ["Issuer:Body"] = "Provincia di Padova",
        ["Issuer:Name"] = "Centro Servizi Territoriali (CST)",
        ["Issuer:CodiceFiscale"] = "80006510285",
        ["Issuer:Address"] = "Piazza Antenore 3, 35121 Padova (PD)",
        ["Issuer:Pec"] = "cst@pec.provincia.padova.it",
        ["Issuer:Iban"] = "IT60X0542811101000000123456",
        ["Issuer:PaymentTermsDays"] = "30",
        // The issuer's codice fiscale is its code as PagoPA's ente creditore.
        ["Issuer:PagoPaEnteCreditore"] = "80006510285",
        ["Issuer:SignerRole"] = "Il Dirigente del Settore Sistemi Informativi",
        // No test cluster sends unless its test says so (Outbox:Enabled=true in the builder's properties).
        ["Outbox:Enabled"] = "false",
    };

    /// <summary>A builder for <paramref name="silos"/> silos on <paramref name="connectionString"/>.</summary>
    /// <param name="reminderClock">Drives the silos' reminders instead of the system clock, when given.</param>
    public static TestClusterBuilder Create(
        string connectionString,
        short silos,
        string clusterId = "cst-test",
        FakeTimeProvider? reminderClock = null)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.ClusterId = clusterId;
        // Fixed, as in production: stored state and reminders are keyed by it.
        builder.Options.ServiceId = CstSiloSettings.DefaultServiceId;
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[ConnectionStringKey] = connectionString;
        foreach (var (key, value) in TestIssuer)
        {
            builder.Properties[key] = value;
        }
        if (reminderClock is not null)
        {
            var key = Guid.NewGuid().ToString("N");
            Clocks[key] = reminderClock;
            builder.Properties[ClockKey] = key;
        }

        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        return builder;
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            // The test cluster passes each silo its identity and ports through configuration.
            var configuration = siloBuilder.Configuration;
            var settings = new CstSiloSettings(
                Required(configuration, ConnectionStringKey),
                Required(configuration, "Orleans:ClusterId"),
                Required(configuration, "Orleans:ServiceId"),
                new SiloEndpoints(
                    IPAddress.Loopback,
                    IPAddress.Loopback,
                    int.Parse(Required(configuration, "Orleans:Endpoints:SiloPort"), CultureInfo.InvariantCulture),
                    int.Parse(Required(configuration, "Orleans:Endpoints:GatewayPort"), CultureInfo.InvariantCulture)));
            siloBuilder.ConfigureCstSilo(settings);

            siloBuilder.Configure<ClusterMembershipOptions>(options =>
            {
                // Declare a killed silo dead in a few seconds instead of the production ~15 s.
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
                options.NumVotesForDeathDeclaration = 1;
                options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            });

            if (configuration[ClockKey] is { } clockKey)
            {
                // One fake time for Orleans' reminders and the grains' clock (registered after the silo's system clock).
                siloBuilder.Services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, Clocks[clockKey]);
                siloBuilder.Services.AddSingleton<IClock>(Clocks[clockKey].ToClock());
            }
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            clientBuilder.UseCstGatewayDiscovery(Required(configuration, ConnectionStringKey));
            clientBuilder.Services.AddCstSerialization();
            clientBuilder.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = Required(configuration, "Orleans:ClusterId");
                options.ServiceId = Required(configuration, "Orleans:ServiceId");
            });
            clientBuilder.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));

            // A call caught on a killed silo fails after this instead of the default 30 s, so a retry can follow.
            clientBuilder.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(5));
        }
    }

    private static string Required(IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The test cluster configuration lacks '{key}'.");
}
