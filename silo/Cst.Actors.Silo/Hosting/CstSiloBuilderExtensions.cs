using System.Net;
using Cst.Actors.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Cst.Actors.Silo.Hosting;

/// <summary>
/// The one composition of a Cst.Actors silo, used by <c>Program.cs</c> and by the tests, so tests run the
/// production wiring.
/// </summary>
public static class CstSiloBuilderExtensions
{
    /// <summary>The configuration section of <see cref="BillingRunOptions"/>.</summary>
    public const string BillingRunOptionsSection = "Billing";

    /// <summary>
    /// PostgreSQL membership, grain storage and reminders; the grain state format; cluster identity; endpoints.
    /// The database must already hold the schema (<see cref="Database.SchemaMigrator"/>).
    /// </summary>
    public static ISiloBuilder ConfigureCstSilo(this ISiloBuilder builder, CstSiloSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.ClusterId);
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.ServiceId);

        builder.UseCstPostgres(settings.ConnectionString);
        builder.UseCstGrainStateFormat();

        // No spurious "Participant check thread has not completed for <host uptime>" at start (see MembershipClock).
        MembershipClock.UseCstMembershipClock(builder);

        // The grains' services: clock, catalogue, error filter, notice and audit logs on the shared data source.
        builder.Services.AddCstGrains(sp => sp.GetRequiredService<PostgresWiring.CstDataSource>().DataSource);

        // A bulk import's new objects are written in batches, as rows the ADO.NET grain storage reads back.
        builder.Services.AddSingleton<Grains.Infrastructure.IStateRowFormat, AdoNetStateRowFormat>();
        builder.Services.AddOptions<Grains.Infrastructure.ImportWriteOptions>().BindConfiguration(Grains.Infrastructure.ImportWriteOptions.Section);
        builder.Services.AddSingleton(sp => new Grains.Infrastructure.ImportedObjectWriter(
            sp.GetRequiredService<PostgresWiring.CstDataSource>().DataSource, sp.GetRequiredService<Grains.Infrastructure.IStateRowFormat>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Grains.Infrastructure.ImportWriteOptions>>().Value.BatchWrites));
        // A billing run reads its enti's stored states a chunk at a time, without activating them.
        builder.Services.AddSingleton(sp => new Grains.Infrastructure.StoredStateReader(
            sp.GetRequiredService<PostgresWiring.CstDataSource>().DataSource, sp.GetRequiredService<Grains.Infrastructure.IStateRowFormat>()));

        // Idle grains go after 10 minutes rather than 15 (owned objects after 2, OwnedObjectCollection), checked every
        // 30 s: a silo serving the whole country must not keep what one pass over it activated.
        builder.Configure<GrainCollectionOptions>(options =>
        {
            options.CollectionAge = TimeSpan.FromMinutes(10);
            options.CollectionQuantum = TimeSpan.FromSeconds(30);
        });

        // The billing run's parallelism and write chunk from configuration (Billing:MaxParallelism, Billing:WriteChunk...).
        builder.Services.AddOptions<BillingRunOptions>().BindConfiguration(BillingRunOptionsSection);

        // Who issues the statements and how they are paid (Issuer:CodiceFiscale, Issuer:Iban...).
        builder.Services.AddOptions<Documents.IssuerSettings>().BindConfiguration(Documents.IssuerSettings.Section);

        // How statements and notices leave: the SMTP relay, or .eml files by default (Outbox:SmtpHost...).
        builder.Services.AddOptions<Grains.Outbox.OutboxOptions>().BindConfiguration(Grains.Outbox.OutboxOptions.Section);
        // Where the PEC receipts of what was sent are read (Outbox:Receipts:Host, Outbox:Receipts:Directory...).
        builder.Services.AddOptions<Grains.Outbox.OutboxReceiptOptions>().BindConfiguration(Grains.Outbox.OutboxReceiptOptions.Section);

        builder.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = settings.ClusterId;
            options.ServiceId = settings.ServiceId;
        });

        if (settings.Endpoints is { } endpoints)
        {
            Validate(endpoints);
            builder.Configure<EndpointOptions>(options =>
            {
                options.AdvertisedIPAddress = endpoints.AdvertisedAddress;
                options.SiloPort = endpoints.SiloPort;
                options.GatewayPort = endpoints.GatewayPort;
                options.SiloListeningEndpoint = new IPEndPoint(endpoints.ListenAddress, endpoints.SiloPort);
                options.GatewayListeningEndpoint = new IPEndPoint(endpoints.ListenAddress, endpoints.GatewayPort);
            });
        }

        return builder;
    }

    private static void Validate(SiloEndpoints endpoints)
    {
        if (endpoints.AdvertisedAddress.Equals(IPAddress.Any) || endpoints.AdvertisedAddress.Equals(IPAddress.IPv6Any))
        {
            throw new ArgumentException(
                $"The advertised address {endpoints.AdvertisedAddress} is not one other silos and clients can connect to; "
                + "give the address of this host that they reach.",
                nameof(endpoints));
        }

        CheckPort(endpoints.SiloPort, "silo");
        CheckPort(endpoints.GatewayPort, "gateway");
        if (endpoints.SiloPort == endpoints.GatewayPort)
        {
            throw new ArgumentException(
                $"The silo port and the gateway port are both {endpoints.SiloPort}; they must differ.", nameof(endpoints));
        }
    }

    private static void CheckPort(int port, string what)
    {
        if (port is <= 0 or > 65535)
        {
            throw new ArgumentException($"The {what} port {port} is not a TCP port (1-65535).", nameof(port));
        }
    }
}
