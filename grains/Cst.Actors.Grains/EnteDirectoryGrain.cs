using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Cst.Actors.Contracts;
using Cst.Actors.Contracts.Enti;

namespace Cst.Actors.Grains;

/// <summary>The stored directory: one entry per ente, by key. Never renumber the ids.</summary>
[GenerateSerializer, Immutable, Alias("cst.EnteDirectoryState")]
public sealed record EnteDirectoryState
{
    [Id(0)] public ImmutableDictionary<string, EnteDirectoryEntry> Entries { get; init; } = ImmutableDictionary<string, EnteDirectoryEntry>.Empty;
}

/// <summary>
/// The directory of the enti, searchable by name and code. Kept by the enti (each upserts its entry after a change of
/// identity or a withdrawal), so it can be rebuilt by re-registering. Holds no reminder.
/// </summary>
[GrainType("entedirectory")]
public sealed class EnteDirectoryGrain(
    [PersistentState("entedirectory", StorageNames.Default)] IPersistentState<EnteDirectoryState> state)
    : Grain, IEnteDirectoryGrain
{
    public async Task UpsertAsync(EnteDirectoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (state.State.Entries.TryGetValue(entry.EnteId, out var held) && held == entry)
        {
            return;
        }

        var before = state.State;
        state.State = state.State with { Entries = state.State.Entries.SetItem(entry.EnteId, entry) };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not stored: forget it, so that the ente's retry of the same entry writes it instead of finding it held.
            state.State = before;
            DeactivateOnIdle();
            throw;
        }
    }

    public Task<ImmutableList<EnteDirectoryEntry>> SearchAsync(string text, int max)
    {
        var wanted = Fold(text ?? string.Empty);
        var found = state.State.Entries.Values
            .Where(e => wanted.Length == 0
                || Fold(e.Name).Contains(wanted, StringComparison.Ordinal)
                || e.EnteId.StartsWith(wanted, StringComparison.Ordinal)
                || (e.IstatCode?.StartsWith(wanted, StringComparison.Ordinal) ?? false)
                || (e.CodiceFiscale?.StartsWith(wanted, StringComparison.Ordinal) ?? false))
            .OrderBy(e => Fold(e.Name), StringComparer.Ordinal)
            .ThenBy(e => e.EnteId, StringComparer.Ordinal)
            .Take(Math.Max(0, max))
            .ToImmutableList();
        return Task.FromResult(found);
    }

    public Task<ImmutableList<EnteDirectoryEntry>> ListAsync() =>
        Task.FromResult(state.State.Entries.Values
            .OrderBy(e => Fold(e.Name), StringComparer.Ordinal).ThenBy(e => e.EnteId, StringComparer.Ordinal)
            .ToImmutableList());

    /// <summary>Lower case without accents, so "comune di cittadella" finds "Comune di Cittadella" and "Sant'Angelo" finds "Sant'Angelo di Piove".</summary>
    private static string Fold(string text)
    {
        var decomposed = text.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
