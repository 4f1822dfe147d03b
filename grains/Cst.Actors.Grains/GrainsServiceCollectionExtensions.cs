using Cst.Actors.Contracts.Serialization;
using Cst.Actors.Grains.Infrastructure;
using Cst.Actors.ReadModels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Npgsql;

namespace Cst.Actors.Grains;

/// <summary>What the grains of this project need on a silo.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the domain serialization, the error filter, the clock (the system clock unless an <see cref="IClock"/>
    /// is registered already or later, as tests do), the listini held by the cluster (seeded with the shipped ones), the
    /// start-up sweep of deadlines that fell while the cluster was down, and the PostgreSQL notice and audit logs on
    /// <paramref name="dataSource"/> (the silo's shared data source).
    /// </summary>
    public static IServiceCollection AddCstGrains(this IServiceCollection services, Func<IServiceProvider, NpgsqlDataSource> dataSource)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(dataSource);
        services.AddCstSerialization();
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton<ICatalogueSource, ClusterCatalogueSource>();
        services.TryAddSingleton<IListinoStore>(sp => new PostgresListinoStore(dataSource(sp), sp.GetRequiredService<IClock>()));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ListinoSeeding>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => ActivatorUtilities.CreateInstance<OverdueDeadlineSweep>(sp, dataSource(sp)));
        services.TryAddSingleton<INoticeLog>(sp => new PostgresNoticeLog(dataSource(sp)));
        services.TryAddSingleton<IAuditLog>(sp => new PostgresAuditLog(dataSource(sp)));
        services.TryAddSingleton<IBillingStore>(sp => new PostgresBillingStore(dataSource(sp)));
        services.TryAddSingleton<IReadModelStore>(sp => new PostgresReadModelStore(dataSource(sp)));
        services.TryAddSingleton<IReadModelReader>(sp => new PostgresReadModelReader(dataSource(sp)));
        services.TryAddSingleton<IAdminReadStore>(sp => new PostgresAdminReadStore(dataSource(sp)));
        services.AddOptions<BillingRunOptions>();
        services.AddOptions<Documents.IssuerSettings>();
        // The outbox: statements and notices to the enti's referenti, sent by every silo while active.
        services.AddOptions<Outbox.OutboxOptions>();
        services.TryAddSingleton(sp => new Outbox.OutboxStore(dataSource(sp)));
        services.TryAddSingleton<Outbox.OutboxSender>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<Outbox.OutboxSender>());
        // The PEC receipts of what the outbox sent, from the sending mailbox (IMAP) or a folder of .eml files.
        services.AddOptions<Outbox.OutboxReceiptOptions>();
        services.TryAddSingleton<Outbox.OutboxReceiptReader>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<Outbox.OutboxReceiptReader>());
        services.TryAddSingleton<GrainServices>();
        services.AddSingleton<IIncomingGrainCallFilter, DomainErrorFilter>();
        // Methods marked [SiloInternal] (objects' snapshots, the directory's entries) are refused to clients.
        services.AddSingleton<IIncomingGrainCallFilter, SiloInternalCallFilter>();
        return services;
    }
}
