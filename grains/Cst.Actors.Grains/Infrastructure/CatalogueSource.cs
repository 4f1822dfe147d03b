using System.Collections.Concurrent;
using Cst.Actors.Contracts.Catalogue;
using Cst.Actors.Domain.Catalogue;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>The listini the grains price and check with: what the cluster holds, asked of each listino's grain.</summary>
public interface ICatalogueSource
{
    /// <summary>The listino's adopted versions; <see cref="UnknownListinoException"/> for an id the cluster does not hold.</summary>
    Task<Listino> GetAsync(string listinoId);
}

/// <summary>The listini held by the cluster (<see cref="IListinoGrain"/>): no tariff is compiled into the silo.</summary>
public sealed class ClusterCatalogueSource(IGrainFactory grains) : ICatalogueSource
{
    public Task<Listino> GetAsync(string listinoId) => grains.GetGrain<IListinoGrain>(listinoId).GetInForceAsync();
}

/// <summary>
/// Each listino asked once for the work of one call: a bulk import applies an ente's new objects at one moment, all on
/// the ente's listino, and each object's operations ask for it (a mailbox's request, a service's activation and each
/// of its consumptions); one grain call for all of them instead of one each.
/// </summary>
public sealed class OncePerCallCatalogue(ICatalogueSource source) : ICatalogueSource
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Listino>>> _asked = new(StringComparer.Ordinal);

    public Task<Listino> GetAsync(string listinoId) =>
        _asked.GetOrAdd(listinoId, id => new Lazy<Task<Listino>>(() => source.GetAsync(id))).Value;
}
