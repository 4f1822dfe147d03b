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
