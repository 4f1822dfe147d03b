using System.Collections.Immutable;
using Cst.Actors.Contracts.Catalogue;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Grains.Infrastructure;
using NodaTime;

namespace Cst.Actors.Grains;

/// <summary>
/// The catalogue as a whole: lists the listini held in the database and routes each question to the grain that owns
/// the listino. No state of its own.
/// </summary>
[GrainType("catalogue")]
public sealed class CatalogueGrain(IListinoStore store) : Grain, ICatalogueGrain
{
    public Task<ImmutableList<string>> GetListinoIdsAsync() => store.ListinoIdsAsync();

    public Task<Listino> GetListinoAsync(string listinoId) => Listino(listinoId).GetInForceAsync();

    public async Task<ListinoVersion> GetVersionInForceAsync(string listinoId, LocalDate on) =>
        (await Listino(listinoId).GetInForceAsync()).VersionInForceOn(on);

    public Task<ImmutableList<ListinoLoadResult>> LoadAsync(string fileName, string text, string act, string operatorName)
    {
        // Parsed here only to learn which listino the file is for; the owner parses and validates it again.
        var listino = ListinoLoader.ParseFile(fileName, text);
        return Listino(listino.Id).LoadAsync(fileName, text, act, operatorName);
    }

    private IListinoGrain Listino(string listinoId) => GrainFactory.GetGrain<IListinoGrain>(listinoId);
}
