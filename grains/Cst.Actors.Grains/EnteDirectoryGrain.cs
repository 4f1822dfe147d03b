using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Cst.Actors.Contracts;
using Cst.Actors.Contracts.Enti;
using Orleans.Concurrency;

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
/// <remarks>
/// The whole directory is one stored state, so each write costs in proportion to the enti already in it. Upserts that
/// arrive while a write is under way are written together by the next one (group commit; reentrant for that), and
/// each call completes when a write holding its entry is stored: a bulk import registering 7,904 enti writes the
/// directory a few hundred times instead of once per ente, the last ones about a megabyte each. Searches see the
/// stored entries only.
/// </remarks>
[Reentrant]
[GrainType("entedirectory")]
public sealed class EnteDirectoryGrain(
    [PersistentState("entedirectory", StorageNames.Default)] IPersistentState<EnteDirectoryState> state)
    : Grain, IEnteDirectoryGrain
{
    /// <summary>Entries waiting for the next write.</summary>
    private readonly Dictionary<string, EnteDirectoryEntry> _waiting = new(StringComparer.Ordinal);

    /// <summary>The write under way, if any.</summary>
    private Task? _writing;

    public async Task UpsertAsync(EnteDirectoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (Held(entry))
        {
            return;
        }

        _waiting[entry.EnteId] = entry;
        while (true)
        {
            // The write under way may have taken its entries before this one came: then the next write takes it.
            var write = _writing ??= WriteWaitingAsync();
            await write;
            if (Held(entry))
            {
                return;
            }

            _waiting.TryAdd(entry.EnteId, entry);
        }
    }

    private bool Held(EnteDirectoryEntry entry) => state.State.Entries.TryGetValue(entry.EnteId, out var held) && held == entry;

    /// <summary>Writes every entry waiting, after letting the calls already queued add theirs.</summary>
    private async Task WriteWaitingAsync()
    {
        try
        {
            await Task.Yield();
            var before = state.State;
            state.State = before with { Entries = before.Entries.SetItems(_waiting) };
            _waiting.Clear();
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                // Not stored: forget them, so that each ente's retry writes its entry instead of finding it held.
                state.State = before;
                DeactivateOnIdle();
                throw;
            }
        }
        finally
        {
            _writing = null;
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
