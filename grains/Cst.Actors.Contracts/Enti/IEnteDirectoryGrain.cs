using System.Collections.Immutable;
using Cst.Actors.Domain.Enti;
using NodaTime;

namespace Cst.Actors.Contracts.Enti;

/// <summary>One ente as the directory lists it.</summary>
[GenerateSerializer, Immutable, Alias("cst.EnteDirectoryEntry")]
public sealed record EnteDirectoryEntry(
    [property: Id(0)] string EnteId,
    [property: Id(1)] string Name,
    [property: Id(2)] EnteKind Kind,
    [property: Id(3)] string? IstatCode,
    [property: Id(4)] string? CodiceFiscale,
    [property: Id(5)] LocalDate? WithdrawnOn);

/// <summary>
/// The directory of all enti (one grain, key <see cref="Key"/>), kept by the enti themselves after each change of
/// identity. About 8,000 entries of 100 bytes: one activation holds them all.
/// </summary>
public interface IEnteDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The key of the one directory.</summary>
    const string Key = "all";

    /// <summary>Adds or replaces the entry of an ente (called by the ente grain).</summary>
    [SiloInternal]
    Task UpsertAsync(EnteDirectoryEntry entry);

    /// <summary>
    /// Enti whose name contains <paramref name="text"/> (case and accents ignored) or whose ISTAT code, codice fiscale or
    /// key starts with it, by name; at most <paramref name="max"/>.
    /// </summary>
    Task<ImmutableList<EnteDirectoryEntry>> SearchAsync(string text, int max);

    /// <summary>Every ente, by name.</summary>
    Task<ImmutableList<EnteDirectoryEntry>> ListAsync();
}
