using System.Collections.Immutable;
using Cst.Actors.Domain.Catalogue;
using NodaTime;

namespace Cst.Actors.Contracts.Catalogue;

/// <summary>
/// The catalogue as a whole: the listini the cluster holds (each owned by its <see cref="IListinoGrain"/>), and the
/// entry point for loading a file whose listino is named inside it. Stateless; use <see cref="Key"/>.
/// </summary>
public interface ICatalogueGrain : IGrainWithStringKey
{
    const string Key = "shipped";

    /// <summary>The ids of the listini, e.g. "cst-padova".</summary>
    Task<ImmutableList<string>> GetListinoIdsAsync();

    /// <summary>A listino with its adopted versions; throws <c>CstDomainError</c> for an unknown id.</summary>
    Task<Listino> GetListinoAsync(string listinoId);

    /// <summary>The version of a listino in force on <paramref name="on"/>.</summary>
    Task<ListinoVersion> GetVersionInForceAsync(string listinoId, LocalDate on);

    /// <summary>Loads a YAML file into the listino it names (see <see cref="IListinoGrain.LoadAsync"/>).</summary>
    Task<ImmutableList<ListinoLoadResult>> LoadAsync(string fileName, string text, string act, string operatorName);
}
