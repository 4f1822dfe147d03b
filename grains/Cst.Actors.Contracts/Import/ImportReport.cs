using System.Collections.Immutable;

namespace Cst.Actors.Contracts.Import;

/// <summary>What became of one ente of an import.</summary>
[GenerateSerializer]
public enum ImportOutcome
{
    /// <summary>Everything was written; <see cref="EnteImportResult.Changes"/> things changed.</summary>
    Applied = 1,

    /// <summary>The engine already held exactly this: nothing was written.</summary>
    Unchanged = 2,

    /// <summary>Refused before anything of the ente was written; the reasons say why.</summary>
    Rejected = 3,

    /// <summary>
    /// Passed the checks but a grain refused an operation (or the database failed) half-way: what was written before
    /// stays. Fix the cause and import the same file again: the operations already done are no-ops, so it converges.
    /// </summary>
    Failed = 4,
}

/// <summary>
/// The result of one ente: its key (when one could be worked out), name, outcome, changes and reasons (for an applied
/// ente that existed, what changed of its identity or payer: <c>updated: name 'X' → 'Y'</c>).
/// </summary>
/// <param name="Changes">How many things changed: the ente itself counts one, and each mailbox, device or service one.</param>
[GenerateSerializer, Immutable, Alias("cst.import.EnteImportResult")]
public sealed record EnteImportResult(
    [property: Id(0)] int Index,
    [property: Id(1)] string? EnteId,
    [property: Id(2)] string Name,
    [property: Id(3)] ImportOutcome Outcome,
    [property: Id(4)] int Changes,
    [property: Id(5)] ImmutableList<string> Reasons)
{
    /// <summary>One line for the operator, e.g. "028001 Abano Terme: applied (5 changes)".</summary>
    public override string ToString()
    {
        var who = EnteId is null ? $"enti[{Index}] {Name}" : $"{EnteId} {Name}";
        return Outcome switch
        {
            ImportOutcome.Applied => $"{who}: applied ({Changes} change{(Changes == 1 ? string.Empty : "s")})"
                + (Reasons.Count > 0 ? "; " + string.Join("; ", Reasons) : string.Empty),
            ImportOutcome.Unchanged => $"{who}: unchanged",
            _ => $"{who}: {Outcome.ToString().ToLowerInvariant()}: {string.Join("; ", Reasons)}",
        };
    }
}

/// <summary>The result of a whole import, ente by ente, in the order of the document.</summary>
[GenerateSerializer, Immutable, Alias("cst.import.ImportReport")]
public sealed record ImportReport([property: Id(0)] ImmutableList<EnteImportResult> Enti)
{
    public int Applied => Enti.Count(e => e.Outcome == ImportOutcome.Applied);

    public int Unchanged => Enti.Count(e => e.Outcome == ImportOutcome.Unchanged);

    public int Rejected => Enti.Count(e => e.Outcome == ImportOutcome.Rejected);

    public int Failed => Enti.Count(e => e.Outcome == ImportOutcome.Failed);

    /// <summary>True when no ente was rejected or failed.</summary>
    public bool Succeeded => Rejected == 0 && Failed == 0;

    /// <summary>"102 enti: 100 applied, 2 unchanged, 0 rejected, 0 failed".</summary>
    public string Summary =>
        $"{Enti.Count} enti: {Applied} applied, {Unchanged} unchanged, {Rejected} rejected, {Failed} failed";
}
