using System.Collections.Immutable;
using Cst.Actors.Contracts.Catalogue;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Grains.Infrastructure;
using NodaTime;

namespace Cst.Actors.Grains;

/// <summary>Serves the shipped listini to clients. No state and no reminder; stateless workers would do as well.</summary>
[GrainType("catalogue")]
public sealed class CatalogueGrain(GrainServices services) : Grain, ICatalogueGrain
{
    public Task<ImmutableList<string>> GetListinoIdsAsync() =>
        Task.FromResult(services.Catalogue.Catalogue.Listini.Select(l => l.Id).ToImmutableList());

    public Task<Listino> GetListinoAsync(string listinoId) =>
        Task.FromResult(services.Catalogue.Catalogue.Get(listinoId));

    public Task<ListinoVersion> GetVersionInForceAsync(string listinoId, LocalDate on) =>
        Task.FromResult(services.Catalogue.Catalogue.Get(listinoId).VersionInForceOn(on));
}
