using System.Collections.Immutable;
using Cst.Actors.Domain.Catalogue;
using NodaTime;

namespace Cst.Actors.Contracts.Catalogue;

/// <summary>One version of a listino as the CST holds it: its date, the act that adopted it, who loaded it, its status.</summary>
[GenerateSerializer, Immutable, Alias("cst.ListinoVersionInfo")]
public sealed record ListinoVersionInfo(
    [property: Id(0)] string Version,
    [property: Id(1)] LocalDate EffectiveFrom,
    [property: Id(2)] string Act,
    [property: Id(3)] ListinoVersionStatus Status,
    [property: Id(4)] string SourceFile,
    [property: Id(5)] string LoadedBy,
    [property: Id(6)] Instant LoadedAt,
    [property: Id(7)] string? AdoptedBy,
    [property: Id(8)] Instant? AdoptedAt,
    [property: Id(9)] int Services);

/// <summary>A listino and every version held of it, drafts included, oldest first.</summary>
[GenerateSerializer, Immutable, Alias("cst.ListinoSummary")]
public sealed record ListinoSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] ImmutableList<ListinoVersionInfo> Versions);

/// <summary>What loading a file did to one of its versions.</summary>
[GenerateSerializer, Immutable, Alias("cst.ListinoLoadResult")]
public sealed record ListinoLoadResult(
    [property: Id(0)] string ListinoId,
    [property: Id(1)] string Version,
    [property: Id(2)] ListinoLoadOutcome Outcome);

/// <summary>
/// One listino (key: its id, e.g. "cst-padova") and its versions, held in PostgreSQL (sql/schema/0006): the only
/// writer of them. Every silo prices with <see cref="GetInForceAsync"/>, the adopted versions.
/// <para>
/// Lifecycle of a version: <c>Load</c> (from a YAML file, with the act) -> draft, which prices nothing -> <c>Adopt</c> ->
/// adopted, in force from its effective date. Loading the same file again changes nothing; loading a changed version
/// replaces it as a draft unless a final billing run has used it (then it is refused: a correction is a new version).
/// Refusals arrive as <c>CstDomainError</c>.
/// </para>
/// </summary>
public interface IListinoGrain : IGrainWithStringKey
{
    /// <summary>The listino with all its versions; throws <c>CstDomainError</c> (UnknownListino) for an unknown id.</summary>
    Task<ListinoSummary> GetSummaryAsync();

    /// <summary>The listino as statements are priced with it: its adopted versions.</summary>
    Task<Listino> GetInForceAsync();

    /// <summary>One version, draft or adopted.</summary>
    Task<ListinoVersion> GetVersionAsync(string version);

    /// <summary>The adopted versions plus <paramref name="version"/>, as if it were adopted (for an impact preview).</summary>
    Task<Listino> GetWithAdoptedAsync(string version);

    /// <summary>The tariffs added, removed and changed from version <paramref name="from"/> to <paramref name="to"/>.</summary>
    Task<ImmutableList<TariffChange>> DiffAsync(string from, string to);

    /// <summary>
    /// Loads the versions of a YAML file (its name for messages, its text) adopted by <paramref name="act"/>: new ones
    /// as drafts. Creates the listino when the file is its first. Errors name file, line and field.
    /// </summary>
    Task<ImmutableList<ListinoLoadResult>> LoadAsync(string fileName, string text, string act, string operatorName);

    /// <summary>Adopts a draft version; true when it was a draft, false when it was adopted already.</summary>
    Task<bool> AdoptAsync(string version, string operatorName);
}
