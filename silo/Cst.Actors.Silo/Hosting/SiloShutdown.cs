using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Cst.Actors.Silo.Hosting;

/// <summary>
/// How long a stop may take, so that systemd's <c>TimeoutStopSec</c> (deploy/cst-silo.service, 90 s) is never reached:
/// the host gives the silo <see cref="HostTimeout"/> to stop gracefully; within it each grain has
/// <see cref="DeactivationTimeout"/> to deactivate (a billing run between chunks, a write in flight) before it is
/// dropped; then the embedded PostgreSQL stops in fast mode (seconds).
/// </summary>
public static class SiloShutdown
{
    public static readonly TimeSpan HostTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DeactivationTimeout = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddCstShutdownBounds(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Configure<HostOptions>(options => options.ShutdownTimeout = HostTimeout);
        services.Configure<GrainCollectionOptions>(options => options.DeactivationTimeout = DeactivationTimeout);
        return services;
    }
}
