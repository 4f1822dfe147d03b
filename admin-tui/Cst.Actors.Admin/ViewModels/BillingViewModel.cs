using System.Collections.Immutable;
using System.Globalization;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Domain.Billing;

namespace Cst.Actors.Admin.ViewModels;

/// <summary>
/// The year-end billing run of one year: start a preview or the final run, follow its progress, read its totals and
/// statements, close it, export it. The run itself runs in the cluster: leaving the console does not stop it.
/// </summary>
public sealed class BillingViewModel(AdminSession session)
{
    public int Year { get; set; }

    public BillingRunMode Mode { get; set; } = BillingRunMode.Preview;

    public BillingRunView? Progress { get; private set; }

    public RunTotals? Totals { get; private set; }

    public ImmutableList<BilledStatement> Statements { get; private set; } = [];

    public bool Running => Progress?.Status == BillingRunStatus.Running;

    public float Fraction => Progress is { EntiTotal: > 0 } p ? Math.Clamp((float)p.EntiDone / p.EntiTotal, 0f, 1f) : 0f;

    private IBillingRunGrain Grain => session.Grains.GetGrain<IBillingRunGrain>(BillingRunKey.For(Year, Mode));

    public string Describe() => Progress is { } p ? BillingText.Describe(p) : $"{Year} {BillingExport.Mode(Mode)}: not loaded";

    public async Task InitAsync()
    {
        if (Year == 0)
        {
            Year = (await session.TodayAsync()).Year;
        }

        await RefreshAsync();
    }

    /// <summary>Starts the run (<paramref name="recompute"/>: a completed final revision is computed again).</summary>
    public async Task StartAsync(BillingRunMode mode, bool recompute = false)
    {
        Mode = mode;
        Totals = null;
        Statements = [];
        Progress = await session.CallAsync("starting the billing run", () => Grain.StartAsync(session.Operator, recompute));
    }

    /// <summary>Reads the progress; once completed, the totals and statements too.</summary>
    public async Task RefreshAsync()
    {
        Progress = await session.CallAsync("reading the billing progress", () => Grain.GetProgressAsync());
        if (Progress.Status is BillingRunStatus.Completed or BillingRunStatus.Closed && Totals is null)
        {
            Totals = await session.CallAsync("reading the totals", () => Grain.GetTotalsAsync(null));
            Statements = await BillingText.ReadStatementsAsync(session, Grain, Totals.Revision);
        }
    }

    public async Task<string> CloseAsync()
    {
        Progress = await session.CallAsync("closing the billing run", () => Grain.CloseAsync(session.Operator));
        return BillingText.Describe(Progress);
    }

    public ActionForm YearForm() => new(
        "Billing year and mode",
        [new("Year", Year.ToString(CultureInfo.InvariantCulture)), new("Mode", BillingExport.Mode(Mode), [new("preview", "preview"), new("final", "final")])],
        v =>
        {
            var year = Input.Year(v[0]);
            var mode = Input.Required(v[1], "Mode") switch
            {
                "preview" => BillingRunMode.Preview,
                "final" => BillingRunMode.Final,
                var other => throw new InputException($"Mode must be preview or final, not '{other}'."),
            };
            return new PreparedAction(string.Empty, async () =>
            {
                Year = year;
                Mode = mode;
                Totals = null;
                Statements = [];
                await RefreshAsync();
                return Describe();
            });
        });

    /// <summary>What each export format writes, for the export dialog's pick-list.</summary>
    public static string FormatText(string format) => format switch
    {
        "csv" => "csv: statements and totals for Excel",
        "json" => "json: for other programs",
        "text" => "text: one readable statement per payer",
        "xlsx" => "xlsx: an Excel workbook",
        _ => "all: every format",
    };

    public ActionForm ExportForm() => new(
        "Export billing run",
        [new("Format", "csv", [.. BillingExporter.Formats.Select(f => new FormChoice(f, FormatText(f)))]), new("Directory", Directory.GetCurrentDirectory())],
        v =>
        {
            var format = Input.Required(v[0], "Format");
            if (!BillingExporter.Formats.Contains(format))
            {
                throw new InputException($"Format must be one of {string.Join(", ", BillingExporter.Formats)}, not '{format}'.");
            }

            var directory = Input.Required(v[1], "Directory");
            return new PreparedAction($"Export {Year} {BillingExport.Mode(Mode)} as {format} to {directory}?", async () =>
            {
                var result = await BillingExporter.ExportAsync(session, Grain, format, directory);
                // Counts rather than names: at 80 columns the message line holds little more than the directory.
                var texts = result.TextDirectory is { } folder
                    ? FormattableString.Invariant($", {result.TextStatements} statement(s) in {Path.GetFileName(folder)}/")
                    : string.Empty;
                return FormattableString.Invariant($"Exported r{result.Totals.Revision} to {Path.GetFullPath(directory)}: {result.Files.Count} file(s){texts}");
            });
        });
}

/// <summary>Texts and reads shared by the billing screen and the command mode.</summary>
public static class BillingText
{
    public const int PageSize = 500;

    /// <summary>
    /// The run in one line: "2025 final r1: Completed with 1 failed ente, 107/107 enti, ...", and while it is not
    /// moving, since when and why; a cancelled run says who cancelled it.
    /// </summary>
    public static string Describe(BillingRunView v)
    {
        var status = v.Status switch
        {
            BillingRunStatus.NotStarted => "not started",
            BillingRunStatus.Completed when v.EntiFailed > 0 => FormattableString.Invariant($"Completed with {v.EntiFailed} failed {(v.EntiFailed == 1 ? "ente" : "enti")}"),
            BillingRunStatus.Cancelled => $"Cancelled by {v.CancelledBy}{(v.CancelledAt is { } at ? " at " + Input.Time(at) : string.Empty)}",
            _ => v.Status.ToString(),
        };
        var failed = v.EntiFailed > 0 && v.Status != BillingRunStatus.Completed ? FormattableString.Invariant($", {v.EntiFailed} failed") : string.Empty;
        var stuck = v.Stuck is { } why
            ? $"; not moving{(v.StuckSince is { } since ? " since " + Input.Time(since) : string.Empty)}: {why}"
            : string.Empty;
        return FormattableString.Invariant(
            $"{v.Year} {BillingExport.Mode(v.Mode)} r{v.Revision}: {status}, {v.EntiDone}/{v.EntiTotal} enti{failed}, {v.Lines} lines, EUR {Input.Euro(v.RunningTotal)}{stuck}");
    }

    public static async Task<ImmutableList<BilledStatement>> ReadStatementsAsync(AdminSession session, IBillingRunGrain grain, int revision)
    {
        var all = ImmutableList.CreateBuilder<BilledStatement>();
        for (var skip = 0; ; skip += PageSize)
        {
            var from = skip;
            var page = await session.CallAsync("reading the statements", () => grain.GetStatementsAsync(revision, from, PageSize));
            all.AddRange(page);
            if (page.Count < PageSize)
            {
                return all.ToImmutable();
            }
        }
    }
}

/// <summary>What an export wrote: the run's totals, the files, and the folder of text statements (one per payer).</summary>
public sealed record BillingExportResult(RunTotals Totals, IReadOnlyList<string> Files, string? TextDirectory, int TextStatements)
{
    /// <summary>The run in one line: year, mode, revision, enti, lines and total.</summary>
    public string Summary => FormattableString.Invariant(
        $"{Totals.Year} {BillingExport.Mode(Totals.Mode)} r{Totals.Revision}: {Totals.Enti} enti, {Totals.Lines} lines, EUR {Input.Euro(Totals.GrandTotal)}");

    /// <summary>The files written and, for the text format, the folder.</summary>
    public IEnumerable<string> Written => TextDirectory is null ? Files : [.. Files, TextDirectory];
}

/// <summary>
/// Writes a completed run as files: statements and totals as CSV (semicolons, decimal comma, UTF-8 with BOM for
/// Excel), an xlsx workbook with typed cells, one JSON document, and/or a folder of readable Italian statements, one per payer
/// (<see cref="BillingExport.Text"/>): <c>rendiconti-2026-preview-r0.csv</c>, <c>totali-...csv</c>,
/// <c>billing-...json</c>, <c>rendiconti-2026-preview-r0/previsione-2026-028001.txt</c>.
/// </summary>
public static class BillingExporter
{
    public static readonly IReadOnlyList<string> Formats = ["csv", "json", "text", "xlsx", "all"];

    /// <summary>Exports <paramref name="revision"/> of the run (null: its latest completed revision).</summary>
    public static async Task<BillingExportResult> ExportAsync(AdminSession session, IBillingRunGrain grain, string format, string directory, int? revision = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(grain);
        if (!Formats.Contains(format))
        {
            throw new InputException($"the format is csv, json, text, xlsx or all, not '{format}'.");
        }

        if (File.Exists(directory))
        {
            throw new InputException($"{directory} is a file, not a directory");
        }

        var totals = await session.CallAsync("reading the totals", () => grain.GetTotalsAsync(revision));
        var statements = await BillingText.ReadStatementsAsync(session, grain, totals.Revision);
        return await FilePaths.WritingAsync(directory, () => WriteAllAsync(session, format, directory, totals, statements));
    }

    private static async Task<BillingExportResult> WriteAllAsync(
        AdminSession session, string format, string directory, RunTotals totals, ImmutableList<BilledStatement> statements)
    {
        var dir = Path.GetFullPath(directory);
        Directory.CreateDirectory(dir);
        var stem = string.Create(CultureInfo.InvariantCulture, $"{totals.Year}-{BillingExport.Mode(totals.Mode)}-r{totals.Revision}");
        var written = new List<string>();
        if (format is "csv" or "all")
        {
            written.Add(await WriteAsync(Path.Combine(dir, $"rendiconti-{stem}.csv"), BillingExport.StatementsCsv(statements), bom: true));
            written.Add(await WriteAsync(Path.Combine(dir, $"totali-{stem}.csv"), BillingExport.TotalsCsv(totals), bom: true));
        }

        if (format is "json" or "all")
        {
            written.Add(await WriteAsync(Path.Combine(dir, $"billing-{stem}.json"), BillingExport.Json(totals, statements), bom: false));
        }

        if (format is "xlsx" or "all")
        {
            // Typed cells: codes as text, amounts as numbers (#,##0.00), dates as dates (Cst.Actors.Documents).
            var path = Path.Combine(dir, Documents.BillingWorkbook.FileName(totals));
            var issued = totals.Mode == BillingRunMode.Final
                ? await session.CallAsync("reading the numbered documents", () => session.Grains
                    .GetGrain<IStatementDocumentGrain>(BillingRunKey.For(totals.Year, totals.Mode)).GetIssuedAsync(totals.Revision))
                : [];
            await File.WriteAllBytesAsync(path + ".part", Documents.BillingWorkbook.Write(totals, statements,
                [.. issued.Select(d => new Documents.WorkbookDocument(d.PayerId, d.NumberText, d.IssuedOn, d.DueDate, d.NoticeCode))]));
            File.Move(path + ".part", path, overwrite: true);
            written.Add(path);
        }

        string? textDirectory = null;
        var texts = 0;
        if (format is "text" or "all")
        {
            textDirectory = Path.Combine(dir, $"rendiconti-{stem}");
            Directory.CreateDirectory(textDirectory);
            var issuedOn = await session.TodayAsync();
            foreach (var payer in PayerGrouping.Group(statements))
            {
                await WriteAsync(Path.Combine(textDirectory, BillingExport.TextFileName(payer.PayerId, totals.Year, totals.Mode, totals.Revision)),
                    BillingExport.Text(payer, totals.Year, totals.Mode, totals.Revision, issuedOn), bom: true);
                texts++;
            }
        }

        return new BillingExportResult(totals, written, textDirectory, texts);
    }

    private static async Task<string> WriteAsync(string path, string content, bool bom)
    {
        // Written beside and renamed, so a reader never sees half a file.
        var temporary = path + ".part";
        await File.WriteAllBytesAsync(temporary, BillingExport.ToFileBytes(content, bom));
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
