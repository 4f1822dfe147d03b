using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Contracts.Import;

namespace Cst.Actors.Admin.Commands;

/// <summary>
/// <c>cst import FILE [--json]</c>: reads the file and writes its report, ente by ente, as text or as one JSON
/// object with the same content. The report goes to stdout (also when the import is refused: it is what the operator
/// needs to correct the file); a failure adds one line on stderr. Exit codes: 0 every ente created, updated or
/// unchanged; 1 an ente refused, failed or not imported; 2 the file cannot be read at all (encoding, separator,
/// header, JSON syntax).
/// </summary>
public sealed class ImportReportWriter(TextWriter output, TextWriter error, bool json)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Reads <paramref name="file"/>. When it cannot be read as an import at all, writes the report (nothing was
    /// written) and throws <see cref="InputException"/> with its first problem, before anything connects.
    /// </summary>
    public ImportParseResult Read(string file)
    {
        FilePaths.CheckReadable(file);
        ImportParseResult parsed;
        try
        {
            parsed = ImportFile.Read(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot read {file}: {FilePaths.Why(e, file)}");
        }

        if (parsed.Document is null)
        {
            var report = new ImportReport([]) { Errors = parsed.Errors, Notes = parsed.Notes, WholeFile = parsed.WholeFile };
            var more = parsed.Errors.Count > 1 ? $" (and {parsed.Errors.Count - 1} more, in the report)" : string.Empty;
            var message = $"{file} cannot be imported, nothing was written: {parsed.Errors.FirstOrDefault()}{more}";
            if (json)
            {
                // One JSON value on stdout: the report, carrying the error as every --json failure does.
                var node = Json(file, report);
                node["error"] = message;
                node["exitCode"] = CommandMode.ExitUsage;
                output.WriteLine(node.ToJsonString(JsonOptions));
            }
            else
            {
                WriteReport(file, report);
            }

            throw new InputException(message) { InJsonOutput = json };
        }

        return parsed;
    }

    /// <summary>Writes the report of an import that was run; returns the exit code.</summary>
    public int Write(string file, ImportReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        WriteReport(file, report);
        if (report.Succeeded)
        {
            return CommandMode.ExitOk;
        }

        var written = report.Applied > 0 ? $"{report.Applied} enti written" : "nothing was written";
        error.WriteLine(Domain.Validation.Guard.Printable($"cst import: {file}: {report.Refused} refused, {report.Failed} failed, {report.NotImported} not imported; {written}"));
        return CommandMode.ExitFailed;
    }

    private void WriteReport(string file, ImportReport report)
    {
        if (json)
        {
            // JSON escapes control characters itself.
            output.WriteLine(Json(file, report).ToJsonString(JsonOptions));
            return;
        }

        foreach (var note in report.Notes)
        {
            Line($"{file}: {note}");
        }

        if (report.Enti.IsEmpty && !report.Errors.IsEmpty)
        {
            Line($"{file} cannot be imported; nothing was written:");
            foreach (var e in report.Errors)
            {
                Line($"  {e}");
            }

            return;
        }

        foreach (var ente in report.Enti)
        {
            WriteEnte(ente);
        }

        Line(report.Summary + (report.WholeFile && report.NotImported > 0
            ? ". A CSV is imported whole or not at all: correct the lines above and import the file again."
            : string.Empty));
    }

    private void WriteEnte(EnteImportResult ente)
    {
        switch (ente.Outcome)
        {
            case ImportOutcome.Created or ImportOutcome.Updated:
                Line($"{ente.Who}: {ente.OutcomeText} ({ente.Changes} change{(ente.Changes == 1 ? string.Empty : "s")})");
                foreach (var detail in ente.Details)
                {
                    Line($"  {detail}");
                }

                break;
            case ImportOutcome.Unchanged:
                Line($"{ente.Who}: unchanged");
                break;
            case ImportOutcome.NotImported:
                Line($"{ente.Who}: not imported ({string.Join("; ", ente.Reasons)})");
                break;
            default:
                Line($"{ente.Who}: {ente.OutcomeText}:");
                foreach (var reason in ente.Reasons)
                {
                    Line($"  {reason}");
                }

                break;
        }
    }

    /// <summary>
    /// A line of the text report: the file's own text (a malformed or binary line quoted in an error) never reaches
    /// the terminal with its control characters.
    /// </summary>
    private void Line(string text) => output.WriteLine(Domain.Validation.Guard.Printable(text));

    /// <summary>The report as JSON: the same content as the text, every field named.</summary>
    public static JsonObject Json(string file, ImportReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new JsonObject
        {
            ["file"] = file,
            ["format"] = ImportFile.IsCsv(file) ? "csv" : "json",
            ["wholeFile"] = report.WholeFile,
            ["succeeded"] = report.Succeeded,
            ["notes"] = new JsonArray([.. report.Notes.Select(n => JsonValue.Create(n))]),
            ["errors"] = new JsonArray([.. report.Errors.Select(e => (JsonNode)new JsonObject
            {
                ["line"] = e.Line, ["column"] = e.Column, ["location"] = e.Location, ["message"] = e.Message,
            })]),
            ["summary"] = new JsonObject
            {
                ["enti"] = report.Enti.Count, ["created"] = report.Created, ["updated"] = report.Updated, ["unchanged"] = report.Unchanged,
                ["refused"] = report.Refused, ["failed"] = report.Failed, ["notImported"] = report.NotImported,
            },
            ["enti"] = new JsonArray([.. report.Enti.Select(e => (JsonNode)new JsonObject
            {
                ["line"] = e.Line > 0 ? e.Line : null,
                ["ente"] = e.EnteId,
                ["name"] = e.Name,
                ["outcome"] = e.OutcomeText,
                ["changes"] = e.Changes,
                ["details"] = new JsonArray([.. e.Details.Select(d => JsonValue.Create(d))]),
                ["reasons"] = new JsonArray([.. e.Reasons.Select(r => JsonValue.Create(r))]),
            })]),
        };
    }
}
