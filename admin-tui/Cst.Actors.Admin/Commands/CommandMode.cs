using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Admin.ViewModels;
using Cst.Actors.Connection;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Domain.Billing;
using NodaTime;

namespace Cst.Actors.Admin.Commands;

/// <summary>
/// <c>cst VERB ...</c>: the console's non-interactive mode for scripts and cron. Output on stdout (a table, or JSON
/// with <c>--json</c>); one line on stderr and a non-zero exit code on failure: 1 the cluster refused or failed,
/// 2 bad input (unknown verb or option, an option where it does not belong, a missing or malformed value or file),
/// 3 no silo reachable. Under <c>--json</c> the failure is also a JSON object on stdout:
/// <c>{"error": "...", "exitCode": N}</c>.
/// <para>
/// The command tree is System.CommandLine's: one method per verb group (<see cref="AddBilling"/>, ...) declares its
/// verbs, their options and what each runs, and every value is checked before anything connects to the cluster.
/// A new verb group is one such method (in its own file of this partial class if large) and one line in
/// <see cref="Build"/>.
/// </para>
/// </summary>
public sealed partial class CommandMode(TextWriter output, TextWriter error, bool progressToTerminal)
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitUsage = 2;
    public const int ExitUnreachable = 3;

    /// <summary>Following a billing run was stopped by SIGINT (Ctrl-C), 128 + 2 as shells report it; the run goes on.</summary>
    public const int ExitInterrupted = 130;

    /// <summary>Following a billing run was stopped by SIGTERM (128 + 15); the run goes on.</summary>
    public const int ExitTerminated = 143;

    /// <summary>
    /// The reader of stdout went away (<c>cst deadlines | head</c>): the listing stops there, silently, with the code
    /// of a Unix filter ended by SIGPIPE (128 + 13), as <c>seq 1 1000000 | head -1</c> reports it under pipefail.
    /// </summary>
    public const int ExitBrokenPipe = 141;

    private int _following;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>What each verb runs, given its parsed line: checks the values (throwing <see cref="InputException"/>), then returns the work.</summary>
    private readonly Dictionary<Command, Func<ParseResult, Func<AdminSession, Task<int>>>> _verbs = [];

    /// <summary>The read-only verbs answered from the database without an Orleans client (see <see cref="DatabaseSession"/>).</summary>
    private readonly HashSet<Command> _fromDatabase = [];

    private readonly Option<bool> _json = CommandArgs.JsonOption();

    private readonly ConfigurationOptions _connection = ConfigurationOptions.Connection(recursive: true).WithClientCertificate(recursive: true);

    private StrictCommandLine? _commandLine;

    private Command? _helpVerb;

    /// <summary>Cancelled by the process's SIGINT/SIGTERM handler (Program.cs) while <see cref="Following"/>.</summary>
    public CancellationToken Stop { get; init; }

    /// <summary>The language of the refusals on stderr (<c>--lang</c>, <c>CST_LANG</c>); English unless given.</summary>
    public Tui.Texts Texts { get; init; } = Tui.Texts.English;

    /// <summary>The rows of the first window of a deadline listing and of each next one (tests make them small).</summary>
    internal (int First, int Next) DeadlineWindows { get; init; } = (DeadlinesViewModel.FirstWindow, IAdminQueryGrain.MaxWindow);

    /// <summary>The exit code once <see cref="Stop"/> is cancelled: <see cref="ExitInterrupted"/> or <see cref="ExitTerminated"/>.</summary>
    public int StopExitCode { get; set; } = ExitInterrupted;

    /// <summary>
    /// A billing run's progress is being followed: a signal then stops following (the run goes on in the cluster)
    /// instead of killing the process with the default handling.
    /// </summary>
    public bool Following => Volatile.Read(ref _following) == 1;

    public static string Usage =>
        """
        cst                       open the admin console (a terminal UI)
        cst VERB [options]        run one command and exit (cst VERB --help: that verb's options):
          import FILE             import enti from a JSON import document (.json) or a CSV of enti (.csv)
          ente list [--search T]  enti with population, active services and this year's estimate
          ente show KEY [--year Y]  one ente: identity, mailboxes, devices, services, statement of the year
          deadlines [--days N]    deadlines of the next N days (default 30) across all enti: all of them,
                                  written as they are read (the console shows them 200 a page)
                                  (ente list, deadlines: --offset N --limit M print one page)
          billing preview --year Y              compute the preview of year Y, with progress
          billing run --year Y [--recompute]    the final run of a year that is over; on a closed year, a revision
                                                of adjustments; --recompute computes a completed revision again
          billing close --year Y                close the completed final run (immutable from then on); refused
                                                while an ente failed: correct it, then run --recompute
          billing cancel --year Y [--mode preview|final]
                                                stop a running run (audited); a later run starts afresh
          billing status --year Y [--mode preview|final] [--revision N]
                                                progress of the latest revision, or the totals of revision N
          billing export --year Y [--mode preview|final] [--revision N] [--format csv|json|text|xlsx|all] [--out DIR]
                                                CSV (; and decimal comma), JSON, xlsx (typed cells), and/or text:
                                                one readable statement per payer in a folder (default csv)
          billing pdf --year Y [--mode preview|final] [--revision N] [--payer CODE] [--out DIR]
                                                the statements as PDF documents, one per payer (numbered once
                                                the final revision is closed; otherwise marked not valid)
          notices [--ente KEY] [--max N]        latest notices of deadlines
          audit [--filter TEXT] [--max N]       latest audit rows
        """ + "\n" + PagoPaUsage + OutboxUsage + "\n" + ListinoCommands.Usage + "\n" + ActionUsage + "\n" + """
        Options of every verb: --json (output for scripts), --connection-string, --cluster-id, --service-id,
        --data-dir, --postgres-port (else CST_ environment variables, else the embedded PostgreSQL of this host),
        --cert, --key, --ca (a personal certificate of the cluster's CA; on this host's embedded default the
        operators' certificate beside the data directory is used). The audit names the certificate's subject, or
        the OS user with the shared operators' certificate; no option or variable sets it.
        An unknown or misplaced option, a stray word or a missing value is refused with one line.
        ente list, deadlines, notices and audit answer from the database (no silo needed, only for an enti row
        that went stale); the other verbs ask the cluster.
        Exit codes: 0 ok, 1 refused or failed, 2 bad input, 3 no silo (or database) reachable, 130 (Ctrl-C) or
        143 (SIGTERM) while following a billing run, which goes on in the cluster; 141 when the reader of the
        output went away (cst deadlines | head); under --json an error is also {"error": "...", "exitCode": N}
        on stdout.

        """;

    /// <summary>Parses a command line against the verbs of this command mode; nothing is checked against the cluster yet.</summary>
    public CommandArgs Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        _commandLine ??= Build();
        return new CommandArgs(_commandLine.Parse(args), args, _json, _connection);
    }

    /// <summary>
    /// Runs the command; <paramref name="connect"/> gives a session on the cluster when one is needed, and
    /// <paramref name="connectDatabase"/>, when given, a session on the database for the read-only verbs that it answers
    /// (ente list, deadlines, notices, audit): those then start no Orleans client.
    /// </summary>
    public async Task<int> RunAsync(CommandArgs args, Func<Task<AdminSession>> connect, Func<Task<AdminSession>>? connectDatabase = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(connect);
        if (args.Error is { } refusal)
        {
            return Fail(args.Json, refusal, ExitUsage);
        }

        if ((args.Help && args.Result.CommandResult.Parent is null) || args.Command == _helpVerb)
        {
            output.Write(Usage);
            return ExitOk;
        }

        if (args.Help)
        {
            return args.Input.WriteHelp(output);
        }

        try
        {
            var command = _verbs.TryGetValue(args.Command, out var bind)
                ? bind(args.Result)
                : throw new InputException("no verb given (cst --help lists them).");
            AdminSession session;
            try
            {
                session = connectDatabase is not null && _fromDatabase.Contains(args.Command) ? await connectDatabase() : await connect();
            }
            catch (CstConnectionException e)
            {
                return Fail(args.Json, AdminConnection.Explain(e), ExitUnreachable);
            }

            return await command(session);
        }
        catch (CstConnectionException e)
        {
            // A command answered from the database that needed the cluster after all (a stale row of the enti list).
            return Fail(args.Json, AdminConnection.Explain(e), ExitUnreachable);
        }
        catch (IOException e) when (StandardOutput.IsBrokenPipe(e))
        {
            return ExitBrokenPipe;
        }
        catch (InputException e)
        {
            return Fail(args.Json && !e.InJsonOutput, e.Code is null ? e.Message : e.In(Texts), ExitUsage, e.Code);
        }
        catch (Exception e) when (e is CstDomainError or CstInfrastructureError or AdminCallException or OrleansException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            return Fail(args.Json, ErrorText.Of(e, Texts), ExitFailed, ErrorText.Refusal(e)?.Code);
        }
    }

    /// <summary>The one line on stderr, and under <c>--json</c> the same as a JSON object on stdout.</summary>
    private int Fail(bool json, string message, int exitCode, string? code = null)
    {
        // A message may quote what was read (a malformed line of a binary file): never control characters on a terminal.
        message = Domain.Validation.Guard.Printable(message);
        // What stdout holds so far goes out before the line on stderr (stdout is buffered when redirected).
        output.Flush();
        error.WriteLine($"cst: {message}");
        if (json)
        {
            var answer = new JsonObject { ["error"] = message, ["exitCode"] = exitCode };
            if (code is not null)
            {
                // Scripts tell refusals apart by their stable code, whatever the language of the sentence.
                answer["code"] = code;
            }

            WriteJson(answer);
        }

        return exitCode;
    }

    /// <summary>The command tree: the root (no verb: the console) and one registration per verb group.</summary>
    private StrictCommandLine Build()
    {
        var root = new Command("cst", "The CST admin console: with no verb a terminal UI, with a verb one command for scripts (cst --help).");
        var commandLine = new StrictCommandLine(root);
        root.Options.Add(_json);
        _connection.AddTo(root);
        root.SetAction(_ => ExitOk);
        _helpVerb = new Command("help", "this overview") { Hidden = true };
        root.Subcommands.Add(_helpVerb);
        AddImport(root);
        AddEnte(root);
        AddDeadlines(root);
        AddBilling(root, commandLine);
        AddNotices(root);
        AddAudit(root);
        AddListino(root);
        AddActions(root);
        AddOutbox(root);
        return commandLine;
    }

    /// <summary>Declares a verb under <paramref name="parent"/> with its options and arguments, and what it runs.</summary>
    private Command Verb(Command parent, string name, string description, Symbol[] symbols, Func<ParseResult, Func<AdminSession, Task<int>>> bind)
    {
        var verb = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    verb.Options.Add(option);
                    break;
                case Argument argument:
                    verb.Arguments.Add(argument);
                    break;
            }
        }

        parent.Subcommands.Add(verb);
        _verbs[verb] = bind;
        return verb;
    }

    private static Command Group(Command parent, string name, string description)
    {
        var group = new Command(name, description);
        parent.Subcommands.Add(group);
        return group;
    }

    private bool Json(ParseResult p) => p.GetValue(_json);

    private static Option<int?> Year(string description, bool required)
    {
        var year = StrictCommandLine.Integer("--year", 2000, 2100, description, "YEAR");
        year.Required = required;
        return year;
    }

    private static Option<int?> Max() => StrictCommandLine.Integer("--max", 1, 100_000, "at most N rows (default 100)");

    private static Option<int?> Offset() => StrictCommandLine.Integer("--offset", 0, int.MaxValue, "skip the first N rows (with --limit: one page of a long list)");

    private static Option<int?> Limit() => StrictCommandLine.Integer("--limit", 0, int.MaxValue, "at most N rows (default all, read from the cluster a window at a time)");

    private void AddImport(Command root)
    {
        var file = new Argument<string>("FILE") { Description = "a JSON import document (.json, see docs/import-format.md) or a CSV of enti (.csv)" };
        var bulk = new Option<bool>("--bulk")
        {
            Description = "for large documents: each object in one call and the new ones written in batches; prints progress (objects/s) to stderr",
        };
        Verb(root, "import", "import enti from a JSON import document (.json) or a CSV of enti (.csv)", [file, bulk], p =>
        {
            var path = p.GetValue(file)!;
            var report = new ImportReportWriter(output, error, Json(p));
            var document = report.Read(path);
            var inBulk = p.GetValue(bulk);
            return async s => report.Write(path, await new CstImporter(s.Grains)
            {
                Bulk = inBulk,
                Parallelism = inBulk ? 16 : 4,
                Progress = inBulk ? new ImportProgressWriter(error) : null,
            }.ImportAsync(document, s.Operator));
        });
    }

    private void AddEnte(Command root)
    {
        var ente = Group(root, "ente", "the enti: list, show");
        var search = StrictCommandLine.Text("--search", "only the enti whose code or name contains TEXT", "TEXT");
        var enteOffset = Offset();
        var enteLimit = Limit();
        _fromDatabase.Add(Verb(ente, "list", "enti with population, active services and this year's estimate", [search, enteOffset, enteLimit],
            p => s => EnteListAsync(s, p.GetValue(search), p.GetValue(enteOffset) ?? 0, p.GetValue(enteLimit), Json(p))));

        var key = new Argument<string>("KEY") { Description = "the ente's code (ISTAT code, or codice fiscale)" };
        var year = Year("the year of the statement shown (default this year)", required: false);
        Verb(ente, "show", "one ente: identity, mailboxes, devices, services, statement of the year", [key, year],
            p => s => EnteShowAsync(s, p.GetValue(key)!, p.GetValue(year), Json(p)));
    }

    private void AddDeadlines(Command root)
    {
        var days = StrictCommandLine.Integer("--days", 0, IAdminQueryGrain.MaxDeadlineDays, "the next N days (default 30)");
        var offset = Offset();
        var limit = Limit();
        _fromDatabase.Add(Verb(root, "deadlines", "deadlines of the next N days across all enti", [days, offset, limit],
            p => s => DeadlinesAsync(s, p.GetValue(days) ?? 30, p.GetValue(offset) ?? 0, p.GetValue(limit), Json(p))));
    }

    private void AddNotices(Command root)
    {
        var ente = StrictCommandLine.Text("--ente", "only the notices of this ente", "KEY");
        var max = Max();
        _fromDatabase.Add(Verb(root, "notices", "latest notices of deadlines", [ente, max],
            p => s => NoticesAsync(s, p.GetValue(ente), p.GetValue(max) ?? 100, Json(p))));
    }

    private void AddAudit(Command root)
    {
        var filter = StrictCommandLine.Text("--filter", "only the rows whose object or operator contains TEXT", "TEXT");
        var max = Max();
        _fromDatabase.Add(Verb(root, "audit", "latest audit rows", [filter, max],
            p => s => AuditAsync(s, p.GetValue(filter), p.GetValue(max) ?? 100, Json(p))));
    }

    private void AddBilling(Command root, StrictCommandLine commandLine)
    {
        var billing = Group(root, "billing", "the year-end billing: preview, run, close, status, export, pdf");
        const string yearText = "the billing year";
        static Option<string?> Mode() => StrictCommandLine.Choice("--mode", "the preview (default) or the final run", StringComparer.Ordinal, "preview", "final");
        static Option<int?> Revision() => StrictCommandLine.Integer("--revision", 0, 10_000, "that completed revision (default the latest)");

        var year = Year(yearText, required: true);
        Verb(billing, "preview", "compute the preview of a year, with progress", [year],
            p => s => BillingRunAsync(s, p.GetValue(year)!.Value, BillingRunMode.Preview, recompute: false, Json(p)));

        var runYear = Year(yearText, required: true);
        var recompute = new Option<bool>("--recompute") { Description = "compute a completed final revision again" };
        var run = Verb(billing, "run", "the final run of a year that is over; on a closed year, a revision of adjustments", [runYear, recompute],
            p => s => BillingRunAsync(s, p.GetValue(runYear)!.Value, BillingRunMode.Final, p.GetValue(recompute), Json(p)));
        commandLine.Hint(run, "--mode", "it is always the final run; for a preview say 'cst billing preview --year Y'.");

        var closeYear = Year(yearText, required: true);
        Verb(billing, "close", "close the completed final run (immutable from then on)", [closeYear], p =>
        {
            var y = p.GetValue(closeYear)!.Value;
            var json = Json(p);
            return async s =>
            {
                var grain = s.Grains.GetGrain<IBillingRunGrain>(BillingRunKey.For(y, BillingRunMode.Final));
                var view = await s.CallAsync("closing the billing run", () => grain.CloseAsync(s.Operator));
                WriteResult(json, BillingJson(view), BillingText.Describe(view));
                return ExitOk;
            };
        });

        var cancelYear = Year(yearText, required: true);
        var cancelMode = Mode();
        Verb(billing, "cancel", "stop a running run (audited); a later run computes it again", [cancelYear, cancelMode], p =>
        {
            var y = p.GetValue(cancelYear)!.Value;
            var mode = BillingMode(p.GetValue(cancelMode));
            var json = Json(p);
            return async s =>
            {
                var grain = s.Grains.GetGrain<IBillingRunGrain>(BillingRunKey.For(y, mode));
                var view = await s.CallAsync("cancelling the billing run", () => grain.CancelAsync(s.Operator));
                WriteResult(json, BillingJson(view), BillingText.Describe(view));
                return ExitOk;
            };
        });

        var statusYear = Year(yearText, required: true);
        var statusMode = Mode();
        var statusRevision = Revision();
        Verb(billing, "status", "progress of the latest revision, or the totals of revision N", [statusYear, statusMode, statusRevision],
            p => s => BillingStatusAsync(s, p.GetValue(statusYear)!.Value, BillingMode(p.GetValue(statusMode)), p.GetValue(statusRevision), Json(p)));

        AddBillingPdf(billing, Mode, Revision);
        AddBillingPagoPa(billing, Revision);

        var exportYear = Year(yearText, required: true);
        var exportMode = Mode();
        var exportRevision = Revision();
        var format = StrictCommandLine.Choice("--format", "CSV (; and decimal comma), JSON, text (one statement per payer in a folder), xlsx (typed cells) or all (default csv)", StringComparer.Ordinal, [.. BillingExporter.Formats]);
        var directory = StrictCommandLine.Text("--out", "the directory written to (default the current one)", "DIR");
        Verb(billing, "export", "write a run's statements and totals as files", [exportYear, exportMode, exportRevision, format, directory], p =>
        {
            var y = p.GetValue(exportYear)!.Value;
            var mode = BillingMode(p.GetValue(exportMode));
            var revision = p.GetValue(exportRevision);
            var chosen = p.GetValue(format) ?? "csv";
            var folder = p.GetValue(directory) ?? ".";
            var json = Json(p);
            return async s =>
            {
                var grain = s.Grains.GetGrain<IBillingRunGrain>(BillingRunKey.For(y, mode));
                var result = await BillingExporter.ExportAsync(s, grain, chosen, folder, revision);
                if (json)
                {
                    var node = TotalsJson(result.Totals);
                    node["files"] = new JsonArray([.. result.Files.Select(f => JsonValue.Create(f))]);
                    node["statementsDirectory"] = result.TextDirectory;
                    node["statementFiles"] = result.TextDirectory is null ? null : result.TextStatements;
                    WriteJson(node);
                }
                else
                {
                    output.WriteLine(result.Summary);
                    foreach (var file in result.Files)
                    {
                        output.WriteLine(file);
                    }

                    if (result.TextDirectory is { } written)
                    {
                        output.WriteLine(FormattableString.Invariant($"{written}{Path.DirectorySeparatorChar}  ({result.TextStatements} statements, one per payer)"));
                    }
                }

                return ExitOk;
            };
        });
    }

    private void AddBillingPdf(Command billing, Func<Option<string?>> mode, Func<Option<int?>> revision)
    {
        var year = Year("the billing year", required: true);
        var pdfMode = mode();
        var pdfRevision = revision();
        var payer = StrictCommandLine.Text("--payer", "only the statement of this payer (default every payer)", "CODE");
        var directory = StrictCommandLine.Text("--out", "the directory written to (default the current one)", "DIR");
        Verb(billing, "pdf", "the statements of a run as PDF documents, one per payer", [year, pdfMode, pdfRevision, payer, directory], p =>
        {
            var y = p.GetValue(year)!.Value;
            var m = BillingMode(p.GetValue(pdfMode));
            var n = p.GetValue(pdfRevision);
            var only = p.GetValue(payer);
            var folder = Path.GetFullPath(p.GetValue(directory) ?? ".");
            var json = Json(p);
            return async s =>
            {
                var grain = s.Grains.GetGrain<IStatementDocumentGrain>(BillingRunKey.For(y, m));
                IReadOnlyList<string> payers = only is { } one ? [one] : await s.CallAsync("reading the payers", () => grain.GetPayersAsync(n));
                Directory.CreateDirectory(folder);
                var written = new JsonArray();
                foreach (var id in payers)
                {
                    var file = await s.CallAsync($"rendering the statement of {id}", () => grain.RenderAsync(n, id));
                    var path = Path.Combine(folder, file.FileName);
                    // Written beside and renamed, so a reader never sees half a file.
                    await File.WriteAllBytesAsync(path + ".part", file.Content);
                    File.Move(path + ".part", path, overwrite: true);
                    written.Add(new JsonObject
                    {
                        ["payer"] = file.PayerId, ["payerName"] = file.PayerName, ["file"] = path,
                        ["number"] = file.Issued?.NumberText, ["dueDate"] = file.Issued?.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        ["payerCodiceFiscale"] = file.PayerCodiceFiscale,
                    });
                    if (!json)
                    {
                        output.WriteLine(file.Issued is { } issued
                            ? $"{path}  n. {issued.NumberText}, {file.PayerName}, EUR {issued.Total.Euros.ToString("#,##0.00", CultureInfo.GetCultureInfo("it-IT"))} entro il {issued.DueDate.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}"
                            : $"{path}  {file.PayerName} (non numerato: non valido ai fini del pagamento)");
                        if (file.PayerCodiceFiscale is null)
                        {
                            // The demo comuni have none: the document says so rather than showing a made-up one.
                            output.WriteLine($"  missing: no codice fiscale registered for {file.PayerId}, the PDF says 'non registrato presso il CST'; "
                                + $"record it with cst ente edit {file.PayerId} --codice-fiscale CF");
                        }
                    }
                }

                if (json)
                {
                    WriteJson(new JsonObject { ["year"] = y, ["mode"] = BillingExport.Mode(m), ["files"] = written });
                }

                return ExitOk;
            };
        });
    }

    private static BillingRunMode BillingMode(string? mode) => mode is "final" ? BillingRunMode.Final : BillingRunMode.Preview;

    private async Task<int> EnteListAsync(AdminSession session, string? search, int offset, int? limit, bool json)
    {
        var vm = new EntiViewModel(session);
        vm.SetFilter(search ?? string.Empty);
        await vm.LoadAllAsync(offset, limit);
        if (json)
        {
            WriteJson(new JsonArray([.. vm.Rows.Select(e => (JsonNode)new JsonObject
            {
                ["ente"] = e.EnteId, ["name"] = e.Name, ["istat"] = e.IstatCode, ["population"] = e.Population,
                ["activeServices"] = e.ActiveObjects, ["estimate"] = e.Estimate?.Euros, ["estimateError"] = e.EstimateError,
                ["withdrawnOn"] = e.WithdrawnOn is { } w ? Input.Date(w) : null,
            })]));
            return ExitOk;
        }

        Table(["ENTE", "NAME", "POPULATION", "ACTIVE", $"ESTIMATE {vm.Year}"],
            vm.Rows.Select(e => new[] { e.EnteId, e.Name, e.Population?.ToString(CultureInfo.InvariantCulture) ?? "-", e.ActiveObjects.ToString(CultureInfo.InvariantCulture), e.Estimate is { } m ? Input.Euro(m) : "n/a" }));
        return ExitOk;
    }

    private async Task<int> EnteShowAsync(AdminSession session, string enteId, int? year, bool json)
    {
        var vm = new EnteDetailViewModel(session, enteId);
        await vm.LoadAsync(year);
        if (json)
        {
            WriteJson(new JsonObject
            {
                ["ente"] = vm.EnteId, ["name"] = vm.Ente!.Registration.Name, ["kind"] = vm.Ente.Registration.Kind.ToString(),
                ["withdrawnOn"] = vm.Ente.WithdrawnOn is { } w ? Input.Date(w) : null, ["payer"] = vm.Ente.CapofilaIn(vm.StatementYear) ?? vm.EnteId,
                ["objects"] = new JsonArray([.. vm.Objects.Select(o => (JsonNode)new JsonObject { ["kind"] = o.KindText, ["key"] = o.Key, ["status"] = o.Status, ["detail"] = o.Detail, ["next"] = o.Next })]),
                ["statement"] = new JsonObject { ["year"] = vm.StatementYear, ["total"] = vm.Statement?.Total.Euros, ["lines"] = vm.Statement?.Lines.Count, ["error"] = vm.StatementError },
            });
            return ExitOk;
        }

        // The header has two lines (identity, then payers); each is printed as its own line, not with its break escaped.
        foreach (var line in vm.Header.Split('\n'))
        {
            output.WriteLine(Domain.Validation.Guard.Printable(line));
        }

        Table(["KIND", "KEY", "STATUS", "DETAIL", "NEXT DEADLINE"], vm.Objects.Select(o => new[] { o.KindText, o.Key, o.Status, o.Detail, o.Next }));
        output.WriteLine(Domain.Validation.Guard.Printable(vm.StatementLine));
        return ExitOk;
    }

    /// <summary>
    /// The deadlines, written window by window as they are read (at national scale a year's end is half a million rows:
    /// the first line is out at once and memory stays flat). The JSON is the same array as when written whole; the
    /// table's columns are as wide as the first window needs (a longer cell further on is cut with ~).
    /// </summary>
    private async Task<int> DeadlinesAsync(AdminSession session, int days, int offset, int? limit, bool json)
    {
        var vm = new DeadlinesViewModel(session) { Windows = DeadlineWindows };
        var first = true;
        int[]? widths = null;
        string[] header = ["DUE", "KIND", "ENTE", "OBJECT", "DESCRIPTION"];
        await vm.StreamAsync(days, offset, limit, rows =>
        {
            if (json)
            {
                foreach (var d in rows)
                {
                    var element = new JsonObject
                    {
                        ["due"] = Input.Date(d.Due), ["kind"] = d.Kind.ToString(), ["ente"] = d.EnteId, ["enteName"] = d.EnteName, ["object"] = d.Object, ["description"] = d.Description,
                    }.ToJsonString(JsonOptions);
                    output.Write(first ? "[" + Environment.NewLine + "  " : "," + Environment.NewLine + "  ");
                    output.Write(element.ReplaceLineEndings(Environment.NewLine + "  "));
                    first = false;
                }
            }
            else
            {
                widths = Table(header, rows.Select(d => new[] { Input.Date(d.Due), d.Kind.ToString(), d.EnteName, d.Object, d.Description }), widths);
            }

            return output.FlushAsync();
        });
        if (json)
        {
            output.WriteLine(first ? "[]" : Environment.NewLine + "]");
        }
        else if (widths is null)
        {
            Table(header, []);
        }

        return ExitOk;
    }

    private async Task<int> NoticesAsync(AdminSession session, string? ente, int max, bool json)
    {
        var rows = await session.CallAsync("reading the notices", () => session.Queries.NoticesAsync(ente, max));
        if (json)
        {
            WriteJson(new JsonArray([.. rows.Select(n => (JsonNode)new JsonObject { ["due"] = Input.Date(n.Due), ["kind"] = n.Kind, ["ente"] = n.EnteId, ["object"] = n.Object, ["message"] = n.Message })]));
            return ExitOk;
        }

        Table(["DUE", "KIND", "ENTE", "OBJECT", "MESSAGE"], rows.Select(n => new[] { Input.Date(n.Due), n.Kind, n.EnteId, n.Object, n.Message }));
        return ExitOk;
    }

    private async Task<int> AuditAsync(AdminSession session, string? filter, int max, bool json)
    {
        var rows = await session.CallAsync("reading the audit log", () => session.Queries.AuditAsync(filter, max));
        if (json)
        {
            WriteJson(new JsonArray([.. rows.Select(a => (JsonNode)new JsonObject
            {
                ["at"] = a.At.ToString(), ["operator"] = a.Operator, ["object"] = a.Object, ["action"] = a.Action, ["before"] = a.Before, ["after"] = a.After,
            })]));
            return ExitOk;
        }

        Table(["AT (UTC)", "OPERATOR", "OBJECT", "ACTION", "AFTER"], rows.Select(a => new[] { a.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), a.Operator, a.Object, a.Action, a.After ?? string.Empty }));
        return ExitOk;
    }

    private async Task<int> BillingRunAsync(AdminSession session, int year, BillingRunMode mode, bool recompute, bool json)
    {
        var vm = new BillingViewModel(session) { Year = year, Mode = mode };
        await vm.StartAsync(mode, recompute);

        // Followed with single attempts, each failure shown as it happens: the run goes on in the cluster whatever
        // happens here, so following it never gives up by itself; a signal stops following.
        var follow = new BillingViewModel(new AdminSession(session.Grains, session.Operator, CallPolicy.Once)) { Year = year, Mode = mode };
        Interlocked.Exchange(ref _following, 1);
        string? shown = null;
        try
        {
            Instant? silentSince = null;
            while (true)
            {
                Stop.ThrowIfCancellationRequested();
                try
                {
                    await follow.RefreshAsync().WaitAsync(Stop);
                    silentSince = null;
                }
                catch (Exception e) when (e is AdminCallException or CstInfrastructureError)
                {
                    silentSince ??= NodaTime.SystemClock.Instance.GetCurrentInstant();
                }

                if (silentSince is null && !follow.Running)
                {
                    break;
                }

                var note = silentSince is { } since
                    ? $"cluster not answering since {Input.Time(since)}, retrying (Ctrl-C stops following; the run goes on in the cluster)"
                    : follow.Progress?.Stuck is { } why
                        ? $"not moving{(follow.Progress.StuckSince is { } at ? " since " + Input.Time(at) : string.Empty)}: {why}"
                        : null;
                shown = Progress(follow, note, shown);
                await Task.Delay(TimeSpan.FromMilliseconds(300), Stop);
            }
        }
        catch (OperationCanceledException) when (Stop.IsCancellationRequested)
        {
            if (progressToTerminal)
            {
                error.WriteLine();
            }

            var status = FormattableString.Invariant($"cst billing status --year {year}{(mode == BillingRunMode.Final ? " --mode final" : string.Empty)}");
            return Fail(json, $"stopped following the billing run {year} {BillingExport.Mode(mode)}; it keeps running in the cluster: follow it with '{status}'", StopExitCode);
        }
        finally
        {
            Interlocked.Exchange(ref _following, 0);
        }

        Progress(follow, null, shown);
        if (progressToTerminal)
        {
            error.WriteLine();
        }

        var view = follow.Progress!;
        WriteRun(view, follow.Totals, json);
        return view.EntiFailed > 0 || view.Status == BillingRunStatus.Cancelled ? ExitFailed : ExitOk;
    }

    /// <summary>
    /// The latest revision's progress (with its totals once completed), or with <paramref name="revision"/> the totals
    /// of that completed revision. Reading never fails the command: enti not billed are listed on stderr, exit 0.
    /// </summary>
    private async Task<int> BillingStatusAsync(AdminSession session, int year, BillingRunMode mode, int? revision, bool json)
    {
        var grain = session.Grains.GetGrain<IBillingRunGrain>(BillingRunKey.For(year, mode));
        if (revision is { } n)
        {
            var totals = await session.CallAsync("reading the totals", () => grain.GetTotalsAsync(n));
            if (json)
            {
                WriteJson(TotalsJson(totals));
            }
            else
            {
                output.WriteLine(FormattableString.Invariant($"{totals.Year} {BillingExport.Mode(totals.Mode)} r{totals.Revision}: {totals.Enti} enti, {totals.Lines} lines"));
                WriteTotals(totals);
            }

            return ExitOk;
        }

        var vm = new BillingViewModel(session) { Year = year, Mode = mode };
        await vm.RefreshAsync();
        WriteRun(vm.Progress!, vm.Totals, json);
        return ExitOk;
    }

    /// <summary>A run's progress line (JSON: its fields), its totals by service once completed, and its failures on stderr.</summary>
    private void WriteRun(BillingRunView view, RunTotals? totals, bool json)
    {
        if (json)
        {
            var node = BillingJson(view);
            if (totals is { } t)
            {
                node["byService"] = ByServiceJson(t);
            }

            node["failures"] = new JsonArray([.. view.Failures.Select(f => (JsonNode)new JsonObject { ["ente"] = f.EnteId, ["message"] = f.Message })]);
            WriteJson(node);
        }
        else
        {
            output.WriteLine(BillingText.Describe(view));
            if (totals is { } t)
            {
                WriteTotals(t);
            }
        }

        foreach (var failure in view.Failures)
        {
            error.WriteLine(Domain.Validation.Guard.Printable($"cst: ente {failure.EnteId} not billed: {failure.Message}"));
        }

        if (view.EntiFailed > view.Failures.Count)
        {
            // The run lists its first failures by code; the count says how many more there are.
            error.WriteLine(FormattableString.Invariant($"cst: and {view.EntiFailed - view.Failures.Count} more enti not billed (the first {view.Failures.Count} by code are listed)"));
        }

        if (view.Stuck is { } why)
        {
            error.WriteLine(Domain.Validation.Guard.Printable(
                $"cst: the run is not moving{(view.StuckSince is { } since ? " since " + Input.Time(since) : string.Empty)}: {why}; 'cst billing cancel' stops it"));
            foreach (var held in view.StuckEnti)
            {
                error.WriteLine(Domain.Validation.Guard.Printable($"cst: waiting on ente {held.EnteId}: {held.Message}"));
            }
        }
    }

    private void WriteTotals(RunTotals t)
    {
        Table(["SERVICE", "NAME", "LINES", "AMOUNT EUR"], t.ByService.Select(r => new[] { r.Key, r.Name, r.Lines.ToString(CultureInfo.InvariantCulture), Input.Euro(r.Amount) }));
        output.WriteLine($"TOTAL EUR {Input.Euro(t.GrandTotal)} over {t.Enti} enti");
    }

    private static JsonArray ByServiceJson(RunTotals t) =>
        new([.. t.ByService.Select(r => (JsonNode)new JsonObject { ["service"] = r.Key, ["name"] = r.Name, ["lines"] = r.Lines, ["amount"] = r.Amount.Euros })]);

    private static JsonObject TotalsJson(RunTotals t) => new()
    {
        ["year"] = t.Year, ["mode"] = BillingExport.Mode(t.Mode), ["revision"] = t.Revision, ["enti"] = t.Enti, ["lines"] = t.Lines,
        ["total"] = t.GrandTotal.Euros, ["byService"] = ByServiceJson(t),
    };

    /// <summary>
    /// The run's progress on stderr (<see cref="BillingProgress"/>), with why it is not moving (<paramref name="note"/>)
    /// beside it; one command watches one run. Returns the note now shown.
    /// </summary>
    private string? Progress(BillingViewModel vm, string? note, string? shown)
    {
        note = note is null ? null : Domain.Validation.Guard.Printable(note);
        _progress ??= new BillingProgress(error, progressToTerminal, TimeProvider.System);
        if (vm.Progress is { } p)
        {
            _progress.Report(p, note);
        }
        else if (!progressToTerminal && note is not null && note != shown)
        {
            error.WriteLine($"cst: {note}");
        }

        return note;
    }

    private BillingProgress? _progress;

    private static JsonObject BillingJson(BillingRunView v) => new()
    {
        ["year"] = v.Year, ["mode"] = BillingExport.Mode(v.Mode), ["revision"] = v.Revision, ["status"] = v.Status.ToString(),
        ["entiTotal"] = v.EntiTotal, ["entiDone"] = v.EntiDone, ["entiFailed"] = v.EntiFailed, ["lines"] = v.Lines,
        ["total"] = v.RunningTotal.Euros,
        ["stuck"] = v.Stuck, ["stuckSince"] = v.StuckSince?.ToString(),
        ["stuckEnti"] = new JsonArray([.. v.StuckEnti.Select(f => (JsonNode)new JsonObject { ["ente"] = f.EnteId, ["message"] = f.Message })]),
        ["cancelledBy"] = v.CancelledBy, ["cancelledAt"] = v.CancelledAt?.ToString(),
    };

    private void WriteResult(bool json, JsonNode node, string text)
    {
        if (json)
        {
            WriteJson(node);
        }
        else
        {
            output.WriteLine(text);
        }
    }

    private void WriteJson(JsonNode node) => output.WriteLine(node.ToJsonString(JsonOptions));

    /// <summary>
    /// A table with its header, each column as wide as its longest cell (at most 48); or, with the widths a first part
    /// was written with, the next part of the same table (no header). Returns the widths.
    /// </summary>
    private int[] Table(string[] header, IEnumerable<string[]> rows, int[]? continuing = null)
    {
        // Stored text may predate the checks on control characters: never let it drive the terminal.
        var all = rows.Select(r => r.Select(Domain.Validation.Guard.Printable).ToArray()).ToList();
        var widths = continuing ?? header.Select((h, i) => Math.Min(48, Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length)))).ToArray();
        void Line(string[] cells) => output.WriteLine(string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : Fit(c, widths[i]))).TrimEnd());
        if (continuing is null)
        {
            Line(header);
        }

        foreach (var row in all)
        {
            Line(row);
        }

        return widths;
    }

    private static string Fit(string text, int width) => text.Length > width ? text[..(width - 1)] + "~" : text.PadRight(width);
}
