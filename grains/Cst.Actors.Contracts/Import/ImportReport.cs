using System.Collections.Immutable;

namespace Cst.Actors.Contracts.Import;

/// <summary>What became of one ente of an import.</summary>
[GenerateSerializer]
public enum ImportOutcome
{
    /// <summary>The ente existed and something of it changed; <see cref="EnteImportResult.Changes"/> things changed.</summary>
    Updated = 1,

    /// <summary>The engine already held exactly this: nothing was written.</summary>
    Unchanged = 2,

    /// <summary>Refused before anything of the ente was written; the reasons say why.</summary>
    Refused = 3,

    /// <summary>
    /// Passed the checks but a grain refused an operation (or the database failed) half-way: what was written before
    /// stays. Fix the cause and import the same file again: the operations already done are no-ops, so it converges.
    /// </summary>
    Failed = 4,

    /// <summary>The ente was not registered before: it and its objects were written.</summary>
    Created = 5,

    /// <summary>
    /// Good, but not written because another ente of a file imported whole (a CSV) was refused: nothing of the file was
    /// written. Importing the corrected file applies it.
    /// </summary>
    NotImported = 6,
}

/// <summary>
/// The result of one ente: its key (when one could be worked out), name, outcome, changes and reasons (for an applied
/// ente that existed, its <see cref="Details"/> say what changed of its identity or payer: <c>updated: name 'X' → 'Y'</c>).
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
    /// <summary>The line of the file where the ente starts (a CSV row); 0 when not known.</summary>
    [Id(6)]
    public int Line { get; init; }

    /// <summary>What changed, one sentence each, e.g. "name 'Comune di Abano' → 'Comune di Abano Terme'".</summary>
    [Id(7)]
    public ImmutableList<string> Details { get; init; } = [];

    /// <summary>The outcome in the words of the report: created, updated, unchanged, refused, failed, not imported.</summary>
    public string OutcomeText => OutcomeWord(Outcome);

    /// <summary>The ente as the report names it: "line 3: 028001 Comune di Abano Terme", or "enti[2] ..." without a key.</summary>
    public string Who => (Line > 0 ? $"line {Line}: " : string.Empty) + (EnteId is null ? (Line > 0 ? Name : $"enti[{Index}] {Name}") : $"{EnteId} {Name}");

    public static string OutcomeWord(ImportOutcome outcome) => outcome switch
    {
        ImportOutcome.NotImported => "not imported",
        _ => outcome.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// One line for the operator, e.g. "028001 Abano Terme: created (5 changes)", or
    /// "028001 Comune di Prova: updated: name 'Comune di Abano Terme' → 'Comune di Prova' (1 change)".
    /// </summary>
    public override string ToString()
    {
        var details = Details.IsEmpty ? string.Empty : ": " + string.Join("; ", Details);
        return Outcome switch
        {
            ImportOutcome.Created or ImportOutcome.Updated =>
                $"{Who}: {OutcomeText}{details} ({Changes} change{(Changes == 1 ? string.Empty : "s")})",
            ImportOutcome.Unchanged => $"{Who}: unchanged",
            _ => $"{Who}: {OutcomeText}: {string.Join("; ", Reasons)}",
        };
    }
}

/// <summary>
/// The result of a whole import, ente by ente, in the order of the document (for a CSV, of its lines), with the
/// problems of the file itself (<see cref="Errors"/>: when there are any that are not tied to an ente, no ente is
/// listed and nothing was written) and what the reader did (<see cref="Notes"/>, e.g. a conversion from Windows-1252).
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.import.ImportReport")]
public sealed record ImportReport([property: Id(0)] ImmutableList<EnteImportResult> Enti)
{
    /// <summary>Every problem the reader found, with its line and column: of the file as a whole, and of each row.</summary>
    [Id(1)]
    public ImmutableList<ImportError> Errors { get; init; } = [];

    /// <summary>What the reader did that the operator should know, e.g. "read as Windows-1252 ...".</summary>
    [Id(2)]
    public ImmutableList<string> Notes { get; init; } = [];

    /// <summary>True when the file is imported whole or not at all (a CSV); false when ente by ente (a JSON document).</summary>
    [Id(3)]
    public bool WholeFile { get; init; }

    public int Created => Count(ImportOutcome.Created);

    public int Updated => Count(ImportOutcome.Updated);

    public int Unchanged => Count(ImportOutcome.Unchanged);

    public int Refused => Count(ImportOutcome.Refused);

    public int Failed => Count(ImportOutcome.Failed);

    public int NotImported => Count(ImportOutcome.NotImported);

    /// <summary>Created and updated: the enti something was written for.</summary>
    public int Applied => Created + Updated;

    /// <summary>True when the file could be read and every ente was applied or already held.</summary>
    public bool Succeeded => Errors.IsEmpty && Refused == 0 && Failed == 0 && NotImported == 0;

    /// <summary>"102 enti: 100 created, 0 updated, 2 unchanged, 0 refused, 0 failed" (and "N not imported" when any).</summary>
    public string Summary =>
        $"{Enti.Count} enti: {Created} created, {Updated} updated, {Unchanged} unchanged, {Refused} refused, {Failed} failed"
        + (NotImported > 0 ? $", {NotImported} not imported" : string.Empty);

    private int Count(ImportOutcome outcome) => Enti.Count(e => e.Outcome == outcome);
}
