using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Admin.ViewModels;
using Cst.Actors.Connection;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Domain.Billing;

namespace Cst.Actors.Admin.Commands;

/// <summary>
/// <c>cst VERB ...</c>: the console's non-interactive mode for scripts and cron. Output on stdout (a table, or JSON
/// with <c>--json</c>); one line on stderr and a non-zero exit code on failure: 1 the cluster refused or failed,
/// 2 bad input (unknown verb or option, malformed value or file), 3 no silo reachable.
/// </summary>
public sealed class CommandMode(TextWriter output, TextWriter error, bool progressToTerminal)
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitUsage = 2;
    public const int ExitUnreachable = 3;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static string Usage => UsageText.Replace("  listino\n", ListinoCommands.Usage + "\n", StringComparison.Ordinal);

    private static string UsageText =>
        """
        cst                       open the admin console (a terminal UI)
        cst VERB [options]        run one command and exit:
          import FILE             import enti from a JSON import document (.json) or a CSV of enti (.csv)
          ente list [--search T]  enti with population, active services and this year's estimate
          ente show KEY [--year Y]  one ente: identity, mailboxes, devices, services, statement of the year
          deadlines [--days N]    deadlines of the next N days (default 30) across all enti
          billing preview --year Y              compute the preview of year Y, with progress
          billing run --year Y [--recompute]    the final run of a year that is over; on a closed year, a revision
                                                of adjustments; --recompute computes a completed revision again
          billing close --year Y                close the completed final run (immutable from then on)
          billing status --year Y [--mode preview|final] [--revision N]
                                                progress of the latest revision, or the totals of revision N
          billing export --year Y [--mode preview|final] [--revision N] [--format csv|json|text|all] [--out DIR]
                                                CSV (; and decimal comma), JSON, and/or text: one readable
                                                statement per payer in a folder (default csv, latest revision)
          notices [--ente KEY] [--max N]        latest notices of deadlines
          listino
          audit [--filter TEXT] [--max N]       latest audit rows
        Options: --json (output for scripts), --connection-string, --cluster-id, --service-id, --data-dir,
        --postgres-port (else CST_ environment variables, else the embedded PostgreSQL of this host).
        Exit codes: 0 ok, 1 refused or failed, 2 bad input, 3 no silo reachable.

        """;

    /// <summary>Runs the command; <paramref name="connect"/> gives a session on the cluster when one is needed.</summary>
    public async Task<int> RunAsync(CommandArgs args, Func<Task<AdminSession>> connect)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(connect);
        try
        {
            var command = Bind(args);
            AdminSession session;
            try
            {
                session = await connect();
            }
            catch (CstConnectionException e)
            {
                error.WriteLine($"cst: {e.Message}; {AdminConnection.StartHint}");
                return ExitUnreachable;
            }

            return await command(session);
        }
        catch (InputException e)
        {
            error.WriteLine($"cst: {e.Message}");
            return ExitUsage;
        }
        catch (Exception e) when (e is CstDomainError or CstInfrastructureError or AdminCallException or OrleansException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"cst: {ErrorText.Of(e)}");
            return ExitFailed;
        }
    }

    /// <summary>Checks the whole command line before anything connects, and returns what to run.</summary>
    private Func<AdminSession, Task<int>> Bind(CommandArgs args)
    {
        var w = args.Words;
        var verb = w.Count > 0 ? w[0] : throw new InputException("no verb given.");
        switch (verb)
        {
            case "import":
            {
                var file = w.Count == 2 ? w[1] : throw new InputException("import takes one file: cst import FILE.json|FILE.csv");
                var document = ParseImport(file);
                return s => ImportAsync(s, document);
            }

            case "ente" when w.Count == 2 && w[1] == "list":
                return s => EnteListAsync(s, args.Option("--search"), args.Json);
            case "ente" when w.Count == 3 && w[1] == "show":
            {
                int? year = args.Option("--year") is { } y ? Input.Year(y) : null;
                return s => EnteShowAsync(s, w[2], year, args.Json);
            }

            case "ente":
                throw new InputException("say 'cst ente list' or 'cst ente show KEY'.");
            case "deadlines":
            {
                var days = args.Option("--days") is { } d ? Input.Integer(d, "--days", 0, 3660) : 30;
                return s => DeadlinesAsync(s, days, args.Json);
            }

            case "notices":
            {
                var max = args.Option("--max") is { } m ? Input.Integer(m, "--max", 1, 100_000) : 100;
                return s => NoticesAsync(s, args.Option("--ente"), max, args.Json);
            }

            case "audit":
            {
                var max = args.Option("--max") is { } m ? Input.Integer(m, "--max", 1, 100_000) : 100;
                return s => AuditAsync(s, args.Option("--filter"), max, args.Json);
            }

            case "billing":
                return BindBilling(args);
            case "listino":
                return new ListinoCommands(output).Bind(w, new ListinoOptions(args.Option("--version"), args.Option("--act"),
                    args.Option("--year"), args.Option("--format"), args.Option("--out"), args.Json));
            default:
                throw new InputException($"unknown verb '{verb}' (cst --help lists them).");
        }
    }

    private Func<AdminSession, Task<int>> BindBilling(CommandArgs args)
    {
        var w = args.Words;
        var action = w.Count == 2 ? w[1] : throw new InputException("say billing preview, run, close, status or export, with --year Y.");
        if (action is not ("preview" or "run" or "close" or "status" or "export"))
        {
            throw new InputException($"unknown billing action '{action}': preview, run, close, status or export.");
        }

        var year = Input.Year(args.Option("--year") ?? throw new InputException("--year is required."), "--year");
        if (args.Recompute && action != "run")
        {
            throw new InputException("--recompute goes with billing run (a preview is always computed again).");
        }

        if (args.Option("--revision") is not null && action is not ("status" or "export"))
        {
            throw new InputException("--revision goes with billing status or billing export.");
        }

        int? revision = args.Option("--revision") is { } r ? Input.Integer(r, "--revision", 0, 10_000) : null;
        switch (action)
        {
            case "preview":
                return s => BillingRunAsync(s, year, BillingRunMode.Preview, recompute: false, args.Json);
            case "run":
                return s => BillingRunAsync(s, year, BillingRunMode.Final, args.Recompute, args.Json);
            case "close":
                return async s =>
                {
                    var grain = s.Grains.GetGrain<IBillingRunGrain>(BillingRunKey.For(year, BillingRunMode.Final));
                    var view = await s.CallAsync("closing the billing run", () => grain.CloseAsync(s.Operator));
                    WriteResult(args.Json, BillingJson(view), BillingText.Describe(view));
                    return ExitOk;
                };
            case "status":
            {
                var mode = BillingMode(args);
                return s => BillingStatusAsync(s, year, mode, revision, args.Json);
            }

            default:
            {
                var format = args.Option("--format") ?? "csv";
                if (!BillingExporter.Formats.Contains(format))
                {
                    throw new InputException($"--format must be csv, json, text or all, not '{format}'.");
                }

                var mode = BillingMode(args);
                var directory = args.Option("--out") ?? ".";
                return async s =>
                {
                    var grain = s.Grains.GetGrain<IBillingRunGrain>(BillingRunKey.For(year, mode));
                    var result = await BillingExporter.ExportAsync(s, grain, format, directory, revision);
                    if (args.Json)
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

                        if (result.TextDirectory is { } folder)
                        {
                            output.WriteLine(FormattableString.Invariant($"{folder}{Path.DirectorySeparatorChar}  ({result.TextStatements} statements, one per payer)"));
                        }
                    }

                    return ExitOk;
                };
            }
        }
    }

    private static BillingRunMode BillingMode(CommandArgs args) => (args.Option("--mode") ?? "preview") switch
    {
        "preview" => BillingRunMode.Preview,
        "final" => BillingRunMode.Final,
        var other => throw new InputException($"--mode must be preview or final, not '{other}'."),
    };

    private static ImportDocument ParseImport(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot read {file}: {e.Message}");
        }

        var result = file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? EntiCsv.Parse(text) : ImportJson.Parse(text);
        if (!result.Success)
        {
            var first = result.Errors.FirstOrDefault();
            var more = result.Errors.Count > 1 ? $" (and {result.Errors.Count - 1} more error(s))" : string.Empty;
            throw new InputException($"{file} is not a valid import file: {first}{more}");
        }

        return result.Document!;
    }

    private async Task<int> ImportAsync(AdminSession session, ImportDocument document)
    {
        var report = await new CstImporter(session.Grains).ImportAsync(document, session.Operator);
        foreach (var ente in report.Enti.Where(e => e.Outcome is ImportOutcome.Rejected or ImportOutcome.Failed))
        {
            error.WriteLine($"cst import: {ente}");
        }

        output.WriteLine(report.Summary);
        return report.Succeeded ? ExitOk : ExitFailed;
    }

    private async Task<int> EnteListAsync(AdminSession session, string? search, bool json)
    {
        var vm = new EntiViewModel(session);
        await vm.LoadAsync();
        vm.SetFilter(search ?? string.Empty);
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
                ["withdrawnOn"] = vm.Ente.WithdrawnOn is { } w ? Input.Date(w) : null, ["payer"] = vm.Ente.CapofilaId ?? vm.EnteId,
                ["objects"] = new JsonArray([.. vm.Objects.Select(o => (JsonNode)new JsonObject { ["kind"] = o.KindText, ["key"] = o.Key, ["status"] = o.Status, ["detail"] = o.Detail, ["next"] = o.Next })]),
                ["statement"] = new JsonObject { ["year"] = vm.StatementYear, ["total"] = vm.Statement?.Total.Euros, ["lines"] = vm.Statement?.Lines.Count, ["error"] = vm.StatementError },
            });
            return ExitOk;
        }

        output.WriteLine(vm.Header);
        Table(["KIND", "KEY", "STATUS", "DETAIL", "NEXT DEADLINE"], vm.Objects.Select(o => new[] { o.KindText, o.Key, o.Status, o.Detail, o.Next }));
        output.WriteLine(vm.StatementLine);
        return ExitOk;
    }

    private async Task<int> DeadlinesAsync(AdminSession session, int days, bool json)
    {
        var vm = new DeadlinesViewModel(session);
        await vm.LoadAsync(days);
        if (json)
        {
            WriteJson(new JsonArray([.. vm.Rows.Select(d => (JsonNode)new JsonObject
            {
                ["due"] = Input.Date(d.Due), ["kind"] = d.Kind.ToString(), ["ente"] = d.EnteId, ["enteName"] = d.EnteName, ["object"] = d.Object, ["description"] = d.Description,
            })]));
            return ExitOk;
        }

        Table(["DUE", "KIND", "ENTE", "OBJECT", "DESCRIPTION"], vm.Rows.Select(d => new[] { Input.Date(d.Due), d.Kind.ToString(), d.EnteName, d.Object, d.Description }));
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
        while (vm.Running)
        {
            Progress(vm);
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            await vm.RefreshAsync();
        }

        await vm.RefreshAsync();
        Progress(vm);
        if (progressToTerminal)
        {
            error.WriteLine();
        }

        var view = vm.Progress!;
        WriteRun(view, vm.Totals, json);
        return view.EntiFailed > 0 ? ExitFailed : ExitOk;
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
            error.WriteLine($"cst: ente {failure.EnteId} not billed: {failure.Message}");
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

    private void Progress(BillingViewModel vm)
    {
        if (!progressToTerminal || vm.Progress is not { } p)
        {
            return;
        }

        const int width = 30;
        var filled = (int)Math.Round(vm.Fraction * width);
        error.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {p.EntiDone + p.EntiFailed}/{p.EntiTotal} enti ");
    }

    private static JsonObject BillingJson(BillingRunView v) => new()
    {
        ["year"] = v.Year, ["mode"] = BillingExport.Mode(v.Mode), ["revision"] = v.Revision, ["status"] = v.Status.ToString(),
        ["entiTotal"] = v.EntiTotal, ["entiDone"] = v.EntiDone, ["entiFailed"] = v.EntiFailed, ["lines"] = v.Lines,
        ["total"] = v.RunningTotal.Euros,
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

    private void Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        var widths = header.Select((h, i) => Math.Min(48, Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length)))).ToArray();
        void Line(string[] cells) => output.WriteLine(string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : Fit(c, widths[i]))).TrimEnd());
        Line(header);
        foreach (var row in all)
        {
            Line(row);
        }
    }

    private static string Fit(string text, int width) => text.Length > width ? text[..(width - 1)] + "~" : text.PadRight(width);
}
