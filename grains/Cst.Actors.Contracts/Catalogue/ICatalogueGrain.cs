using System.Collections.Immutable;
using Cst.Actors.Domain.Catalogue;
using NodaTime;

namespace Cst.Actors.Contracts.Catalogue;

/// <summary>
/// Serves the listini (price lists, with all their versions) to clients. Stateless: the listini ship with the silo
/// and every activation reads the same ones, so any key works; use <see cref="Key"/>.
/// </summary>
public interface ICatalogueGrain : IGrainWithStringKey
{
    const string Key = "shipped";

    /// <summary>The ids of the listini, e.g. "cst-padova".</summary>
    Task<ImmutableList<string>> GetListinoIdsAsync();

    /// <summary>A listino with all its versions; throws <c>CstDomainError</c> for an unknown id.</summary>
    Task<Listino> GetListinoAsync(string listinoId);

    /// <summary>The version of a listino in force on <paramref name="on"/>.</summary>
    Task<ListinoVersion> GetVersionInForceAsync(string listinoId, LocalDate on);
}
