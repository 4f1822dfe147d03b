using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cst.Actors.Admin.Commands;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Domain.Billing;

namespace Cst.Actors.Admin.Tests;

/// <summary>Command mode in-process on the test cluster: output, --json, exit codes and one-line errors.</summary>
[Collection(AdminCollection.Name)]
public sealed class CommandModeTests(AdminCluster cluster)
{
    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => RunAsync(null, args);

    private async Task<(int Code, string Out, string Err)> RunAsync((int First, int Next)? deadlineWindows, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var mode = new CommandMode(output, error, progressToTerminal: false) { DeadlineWindows = deadlineWindows ?? (500, 10_000) };
        // As cst runs them: the read-only verbs from the database (on the cluster's clock), the others through the cluster.
        await using var database = await cluster.DatabaseAsync();
        var code = await mode.RunAsync(mode.Parse(args), () => Task.FromResult(cluster.Session()),
            () => Task.FromResult(new AdminSession(database.Queries, AdminCluster.Operator)));
        return (code, output.ToString(), error.ToString());
    }

    private static string ListinoYaml(string id, string version, string from, string perInhabitant) =>
        $$"""
        listino: {{id}}
        name: Listino di prova
        versions:
          - version: "{{version}}"
            effective_from: {{from}}
            adopted_by: "Delibera di prova"
            month_counting: more-than-half
            membership_quota:
              section: "Convenzione art. 5"
              bands:
                - { from: 1, per_inhabitant: {{perInhabitant}} }
            services:
              - id: s.1
                name: Helpdesk
                section: "s.1"
                components:
                  - id: helpdesk
                    name: Helpdesk
                    kind: included
        """;

    [Fact]
    public async Task Listino_LoadTwiceDiffAdoptListShow_WorkFromTheCommandLine()
    {
        var id = "prova-" + Guid.NewGuid().ToString("N")[..8];
        var first = Path.Combine(Path.GetTempPath(), $"{id}-2020.yaml");
        var second = Path.Combine(Path.GetTempPath(), $"{id}-2027.yaml");
        await File.WriteAllTextAsync(first, ListinoYaml(id, "2020", "2020-01-01", "0.20"));
        await File.WriteAllTextAsync(second, ListinoYaml(id, "2027", "2027-01-01", "0.25"));
        try
        {
            var load = await RunAsync("listino", "load", first, "--act", "Delibera n. 1");
            Assert.Equal((0, $"{id} 2020: loaded as a draft (adopt it with: cst listino adopt {id} 2020)"), (load.Code, load.Out.Trim()));
            var again = await RunAsync("listino", "load", first, "--act", "Delibera n. 1");
            Assert.Contains("unchanged", again.Out, StringComparison.Ordinal);
            Assert.Equal(0, (await RunAsync("listino", "adopt", id, "2020")).Code);
            Assert.Equal(0, (await RunAsync("listino", "load", second, "--act", "Decreto n. 45 del 12/10/2026")).Code);

            var diff = await RunAsync("listino", "diff", id, "2020", "2027");
            Assert.Equal(0, diff.Code);
            Assert.Contains("1 tariff(s) differ", diff.Out, StringComparison.Ordinal);
            Assert.Contains("1- 0.20/inhabitant -> 1- 0.25/inhabitant", diff.Out, StringComparison.Ordinal);

            var list = await RunAsync("listino", "list", "--json");
            using var json = JsonDocument.Parse(list.Out);
            var versions = json.RootElement.EnumerateArray().Single(l => l.GetProperty("id").GetString() == id).GetProperty("versions");
            Assert.Equal(["2020 adopted Delibera n. 1", "2027 draft Decreto n. 45 del 12/10/2026"],
                versions.EnumerateArray().Select(v => $"{v.GetProperty("version").GetString()} {v.GetProperty("status").GetString()} {v.GetProperty("act").GetString()}"));

            var adopt = await RunAsync("listino", "adopt", id, "2027");
            Assert.Contains("adopted; it prices statements from 2027-01-01", adopt.Out, StringComparison.Ordinal);
            var show = await RunAsync("listino", "show", id, "--version", "2027");
            Assert.Contains("2027-01-01, adopted, act: Decreto n. 45", show.Out, StringComparison.Ordinal);
            Assert.Contains("Helpdesk", show.Out, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(first);
            File.Delete(second);
        }
    }

    [Fact]
    public async Task ListinoImpact_DraftRaisingTheQuota_GivesEveryEntesTwoPreviewsAndTheirTotals()
    {
        var (enteId, _, _, _) = await cluster.NewEnteAsync();
        var (file, text) = Domain.Catalogue.ListinoLoader.ShippedFiles().Single(f => f.FileName == "cst-padova-2020-10.yaml");
        var draft = Path.Combine(Path.GetTempPath(), $"cst-padova-2027-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(draft, text
            .Replace("version: \"2020-10\"", "version: \"2027-impact\"", StringComparison.Ordinal)
            .Replace("effective_from: 2020-10-01", "effective_from: 2027-01-01", StringComparison.Ordinal)
            .Replace("{ from: 1, to: 5000, per_inhabitant: 0.20 }", "{ from: 1, to: 5000, per_inhabitant: 0.25 }", StringComparison.Ordinal));
        try
        {
            Assert.Equal(0, (await RunAsync("listino", "load", draft, "--act", "Proposta di decreto")).Code);

            var (code, output, err) = await RunAsync("listino", "impact", "cst-padova", "2027-impact", "--year", "2027", "--json");

            Assert.Equal((0, string.Empty), (code, err));
            using var json = JsonDocument.Parse(output);
            var enti = json.RootElement.GetProperty("enti").EnumerateArray().ToList();
            // 4,321 inhabitants (projected from 2026): quota 4,321 x 0.20 = 864.20 now, 4,321 x 0.25 = 1,080.25 proposed.
            var ente = enti.Single(e => e.GetProperty("ente").GetString() == enteId);
            Assert.Equal(216.05m, ente.GetProperty("difference").GetDecimal());
            var quota = json.RootElement.GetProperty("byService").EnumerateArray().Single(s => s.GetProperty("service").GetString() == "quota");
            Assert.True(quota.GetProperty("difference").GetDecimal() >= 216.05m);

            // Every ente of the listino is there, and the current side is what each ente's own 2027 preview totals.
            var expected = 0m;
            foreach (var e in enti)
            {
                var billing = await cluster.Cluster.Client.GetGrain<Contracts.Enti.IEnteGrain>(e.GetProperty("ente").GetString()!)
                    .BillAsync(2027, BillingRunMode.Preview);
                expected += billing.Lines.Sum(l => l.Amount.Euros);
                Assert.Equal(billing.Lines.Sum(l => l.Amount.Euros), e.GetProperty("current").GetDecimal());
            }

            Assert.Equal(expected, json.RootElement.GetProperty("current").GetDecimal());
            Assert.Equal(enti.Sum(e => e.GetProperty("proposed").GetDecimal()), json.RootElement.GetProperty("proposed").GetDecimal());
            Assert.Equal(json.RootElement.GetProperty("byService").EnumerateArray().Sum(s => s.GetProperty("proposed").GetDecimal()),
                json.RootElement.GetProperty("proposed").GetDecimal());
            Assert.Empty(await cluster.ReadAsync("SELECT 1 FROM billing_run WHERE year = 2027"));
        }
        finally
        {
            File.Delete(draft);
        }
    }

    [Theory]
    [InlineData("listino", "load", "x.yaml")]
    [InlineData("listino", "adopt", "cst-padova")]
    [InlineData("listino", "list", "--act", "x")]
    [InlineData("listino")]
    public async Task Listino_BadInput_ExitsTwoWithTheReason(params string[] args)
    {
        var (code, output, err) = await RunAsync(args);

        Assert.Equal((CommandMode.ExitUsage, string.Empty), (code, output));
        Assert.StartsWith("cst: ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListinoAdopt_UnknownVersion_ExitsOneNamingIt()
    {
        var (code, _, err) = await RunAsync("listino", "adopt", "cst-padova", "2099");

        Assert.Equal(CommandMode.ExitFailed, code);
        Assert.Contains("'2099'", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnteShow_HeaderPrintsItsTwoLines_IdentityThenPayer()
    {
        var (enteId, _, _, name) = await cluster.NewEnteAsync();

        var (code, output, err) = await RunAsync("ente", "show", enteId);

        Assert.True(code == CommandMode.ExitOk, err);
        var lines = output.Split('\n');
        Assert.StartsWith($"{name} (Comune {enteId})", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("?", lines[0], StringComparison.Ordinal);
        Assert.Contains("pays itself", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnteShow_UnknownEnte_ExitsOneWithOnePlainLine()
    {
        var (code, _, err) = await RunAsync("ente", "show", "999999");

        Assert.Equal(CommandMode.ExitFailed, code);
        Assert.StartsWith("cst: ", err, StringComparison.Ordinal);
        Assert.Contains("999999", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.DoesNotContain(" at ", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("billing", "preview", "--year", "20x6")]
    [InlineData("billing", "preview", "--year", "1850")]
    [InlineData("billing", "preview")]
    [InlineData("billing", "export", "--year", "2026", "--format", "pdf")]
    [InlineData("billing", "status", "--year", "2026", "--mode", "draft")]
    [InlineData("billing", "status", "--year", "2026", "--revision", "-1")]
    [InlineData("billing", "preview", "--year", "2026", "--recompute")]
    [InlineData("billing", "run", "--year", "2025", "--revision", "1")]
    [InlineData("deadlines", "--days", "-3")]
    [InlineData("frobnicate")]
    public async Task BadInput_ExitsTwoWithTheReason(params string[] args)
    {
        var (code, output, err) = await RunAsync(args);

        Assert.Equal(CommandMode.ExitUsage, code);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("cst: ", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("--year", "ente", "list", "--year", "2020")]
    [InlineData("--search", "ente", "list", "--search", "--data-dir", "X")]
    [InlineData("--search", "ente", "list", "--search")]
    [InlineData("--days", "deadlines", "--days")]
    [InlineData("--mode", "billing", "run", "--year", "2025", "--mode", "preview")]
    [InlineData("--recompute", "billing", "preview", "--year", "2026", "--recompute")]
    [InlineData("--max", "ente", "show", "028001", "--max", "3")]
    [InlineData("frobnicate", "frobnicate", "--days", "3")]
    [InlineData("lst", "ente", "lst")]
    [InlineData("extra", "ente", "show", "028001", "extra")]
    [InlineData("-x", "audit", "-x")]
    [InlineData("--yaer", "billing", "status", "--yaer", "2025")]
    public async Task MisplacedUnknownOrIncompleteInput_ExitsTwoWithOneLineNamingIt(string named, params string[] args)
    {
        var (code, output, err) = await RunAsync(args);

        Assert.True(code == CommandMode.ExitUsage, $"exit {code}, stdout: {output}, stderr: {err}");
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("cst: ", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains($"'{named}'", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BillingRun_WithModePreview_IsRefusedPointingToBillingPreview()
    {
        var (code, _, err) = await RunAsync("billing", "run", "--year", "2025", "--mode", "preview");

        Assert.Equal(CommandMode.ExitUsage, code);
        Assert.Contains("billing preview", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ente", "list", "--year", "2020", "--json")]
    [InlineData("--json", "billing", "preview", "--year", "20x6")]
    [InlineData("frobnicate", "--json")]
    [InlineData("ente", "show", "999999", "--json")]
    public async Task Errors_UnderJson_AreAJsonObjectOnStdoutBesidesTheLineOnStderr(params string[] args)
    {
        var (code, output, err) = await RunAsync(args);

        Assert.NotEqual(CommandMode.ExitOk, code);
        var error = JsonDocument.Parse(output).RootElement;
        Assert.Equal(code, error.GetProperty("exitCode").GetInt32());
        Assert.Equal(err.Trim(), "cst: " + error.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("ente list", "--search", "--year")]
    [InlineData("ente show", "--year", "--search")]
    [InlineData("billing run", "--recompute", "--mode")]
    [InlineData("billing export", "--format", "--recompute")]
    [InlineData("deadlines", "--days", "--max")]
    [InlineData("import", "FILE", "--year")]
    public async Task VerbHelp_ExitsZeroListingThatVerbsOptionsOnly(string verb, string listed, string notListed)
    {
        var (code, output, err) = await RunAsync([.. verb.Split(' '), "--help"]);

        Assert.True(code == CommandMode.ExitOk, $"exit {code}: {err}");
        Assert.Contains($"cst {verb}", output, StringComparison.Ordinal);
        Assert.Contains(listed, output, StringComparison.Ordinal);
        Assert.Contains("--connection-string", output, StringComparison.Ordinal);
        Assert.DoesNotContain(notListed, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_MalformedJson_ExitsTwoNamingLineAndColumn()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cst-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, "{\n  \"format\": \"cst-import/1\",\n  \"enti\": [ { \"name\": ] }\n");
        try
        {
            var (code, _, err) = await RunAsync("import", file);

            Assert.Equal(CommandMode.ExitUsage, code);
            Assert.Contains("line 3", err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Import_CsvJson_IsAJsonReportWithEachEnte_AndTheTextReportHasALinePerEnte()
    {
        var (agna, arre) = (AdminCluster.NewIstatCode(), AdminCluster.NewIstatCode());
        var file = await CsvAsync("nome;codice_istat;data_adesione;popolazione;anno_popolazione\n"
            + $"Comune di Agna;{agna};2021-01-01;3400;2026\n"
            + $"Comune di Arre;{arre};2021-01-01;2150;2026\n");
        try
        {
            var (code, output, err) = await RunAsync("import", file, "--json");

            Assert.True(code == CommandMode.ExitOk, err);
            var report = JsonDocument.Parse(output).RootElement;
            Assert.True(report.GetProperty("succeeded").GetBoolean());
            Assert.Equal(2, report.GetProperty("summary").GetProperty("created").GetInt32());
            var enti = report.GetProperty("enti").EnumerateArray().ToList();
            Assert.Equal([(2, agna, "created"), (3, arre, "created")],
                enti.Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("ente").GetString(), e.GetProperty("outcome").GetString())));

            (code, output, err) = await RunAsync("import", file);

            Assert.True(code == CommandMode.ExitOk, err);
            Assert.Contains($"line 2: {agna} Comune di Agna: unchanged", output, StringComparison.Ordinal);
            Assert.Contains($"line 3: {arre} Comune di Arre: unchanged", output, StringComparison.Ordinal);
            Assert.Contains("2 enti: 0 created, 0 updated, 2 unchanged, 0 refused, 0 failed", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Import_CsvWithABadRow_ListsEveryEnteAndError_ExitsOne_AndWritesNothing()
    {
        var (good, bad) = (AdminCluster.NewIstatCode(), AdminCluster.NewIstatCode());
        var file = await CsvAsync("nome;codice_istat;data_adesione;popolazione;anno_popolazione\n"
            + $"Comune Buono;{good};2021-01-01;3400;2026\n"
            + $"Comune Cattivo;{bad};31/02/2021;duemila;2026\n");
        try
        {
            var (code, output, err) = await RunAsync("import", file);

            Assert.Equal(CommandMode.ExitFailed, code);
            Assert.Contains($"line 2: {good} Comune Buono: not imported", output, StringComparison.Ordinal);
            Assert.Contains($"line 3: {bad} Comune Cattivo: refused", output, StringComparison.Ordinal);
            Assert.Contains("line 3, column 3 (data_adesione)", output, StringComparison.Ordinal);
            Assert.Contains("line 3, column 4 (popolazione)", output, StringComparison.Ordinal);
            Assert.Single(err.Trim().Split('\n'));

            (code, output, _) = await RunAsync("import", file, "--json");

            Assert.Equal(CommandMode.ExitFailed, code);
            var report = JsonDocument.Parse(output).RootElement;
            Assert.Equal(["not imported", "refused"], report.GetProperty("enti").EnumerateArray().Select(e => e.GetProperty("outcome").GetString()));
            Assert.Equal([(3, 3), (3, 4)], report.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetInt32())));
            Assert.Empty(await cluster.ReadAsync("SELECT object FROM audit WHERE object IN ($1, $2)", "ente:" + good, "ente:" + bad));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Import_CommaSeparatedCsv_ExitsTwoWithTheSeparatorMessage_AsJsonToo()
    {
        var file = await CsvAsync("nome,codice_istat,data_adesione\nComune di Agna,028002,2021-01-01\n");
        try
        {
            var (code, output, err) = await RunAsync("import", file, "--json");

            Assert.Equal(CommandMode.ExitUsage, code);
            // One JSON value on stdout: the report, carrying the error and exit code as every --json failure does.
            var root = JsonDocument.Parse(output).RootElement;
            Assert.Equal(CommandMode.ExitUsage, root.GetProperty("exitCode").GetInt32());
            var error = Assert.Single(root.GetProperty("errors").EnumerateArray());
            Assert.Contains("this file is separated by commas; the CST format uses ';'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Contains("separated by commas", err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<string> CsvAsync(string text)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cst-enti-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, text);
        return file;
    }

    [Fact]
    public async Task EnteListAndDeadlines_Json_ParseAndHoldTheEnte()
    {
        var (enteId, mailbox, _, name) = await cluster.NewEnteAsync();

        var (code, output, _) = await RunAsync("ente", "list", "--search", name, "--json");
        Assert.Equal(0, code);
        var enti = JsonDocument.Parse(output).RootElement;
        var ente = Assert.Single(enti.EnumerateArray());
        Assert.Equal(enteId, ente.GetProperty("ente").GetString());
        Assert.Equal(4321, ente.GetProperty("population").GetInt32());
        Assert.True(ente.GetProperty("estimate").GetDecimal() > 0);

        (code, output, _) = await RunAsync("deadlines", "--days", "45", "--json");
        Assert.Equal(0, code);
        var deadlines = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Contains(deadlines, d => d.GetProperty("object").GetString() == mailbox && d.GetProperty("kind").GetString() == "DisdettaDeadline");
    }

    [Fact]
    public async Task DeadlinesAndEntiList_OffsetAndLimit_PrintOneWindowOfTheWholeList()
    {
        await cluster.NewEnteAsync();
        await cluster.NewEnteAsync();
        static List<string> Lines(string json) => [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => e.GetRawText())];

        var (code, output, _) = await RunAsync("deadlines", "--days", "45", "--json");
        Assert.Equal(0, code);
        var all = Lines(output);
        Assert.True(all.Count >= 4, $"expected at least 4 deadlines, got {all.Count}");
        (code, output, _) = await RunAsync("deadlines", "--days", "45", "--offset", "1", "--limit", "2", "--json");
        Assert.Equal(0, code);
        Assert.Equal(all.Skip(1).Take(2), Lines(output));

        (code, output, _) = await RunAsync("ente", "list", "--json");
        var enti = Lines(output);
        Assert.True(enti.Count >= 2, $"expected at least 2 enti, got {enti.Count}");
        (code, output, _) = await RunAsync("ente", "list", "--offset", "1", "--limit", "1", "--json");
        Assert.Equal(0, code);
        Assert.Equal(enti.Skip(1).Take(1), Lines(output));

        (code, _, var error) = await RunAsync("deadlines", "--days", "367");
        Assert.Equal(2, code);
        Assert.Contains("--days", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deadlines_StreamedInSmallWindows_PrintTheSameListAsInOne()
    {
        await cluster.NewEnteAsync();
        await cluster.NewEnteAsync();
        var (code, whole, _) = await RunAsync("deadlines", "--days", "45", "--json");
        Assert.Equal(0, code);
        var rows = JsonDocument.Parse(whole).RootElement.GetArrayLength();
        Assert.True(rows >= 7, $"expected at least 7 deadlines (windows of 2, then 3), got {rows}");

        // Windows of 2 then 3 rows: the same JSON, byte for byte, and the same table (its widths from the first window).
        var (streamedCode, streamed, _) = await RunAsync((2, 3), "deadlines", "--days", "45", "--json");
        Assert.Equal((0, whole), (streamedCode, streamed));
        var (_, limited, _) = await RunAsync((2, 3), "deadlines", "--days", "45", "--offset", "1", "--limit", "4", "--json");
        Assert.Equal(
            JsonDocument.Parse(whole).RootElement.EnumerateArray().Skip(1).Take(4).Select(e => e.GetRawText()),
            JsonDocument.Parse(limited).RootElement.EnumerateArray().Select(e => e.GetRawText()));

        var (_, table, _) = await RunAsync((2, 3), "deadlines", "--days", "45");
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("DUE", lines[0], StringComparison.Ordinal);
        Assert.Equal(rows + 1, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Matches(@"^\d{4}-\d{2}-\d{2}  ", l));

        var (_, none, _) = await RunAsync((2, 3), "deadlines", "--days", "45", "--limit", "0", "--json");
        Assert.Equal("[]", none.Trim());
    }

    [Fact]
    public async Task BillingPreviewThenExport_WritesTotalsAndCsv()
    {
        await cluster.NewEnteAsync();
        var (code, output, err) = await RunAsync("billing", "preview", "--year", "2026");
        // Other tests of the shared cluster register enti with no population: the run reports them and exits 1.
        Assert.True(code == 0 || (code == 1 && err.Contains("not billed", StringComparison.Ordinal)), $"exit {code}: {err}");
        Assert.Contains("2026 preview", output, StringComparison.Ordinal);
        Assert.Contains("TOTAL EUR", output, StringComparison.Ordinal);

        var dir = Path.Combine(Path.GetTempPath(), $"cst-export-{Guid.NewGuid():N}");
        try
        {
            (code, output, err) = await RunAsync("billing", "export", "--year", "2026", "--format", "all", "--out", dir);
            Assert.True(code == 0, $"exit {code}: {err}");
            var files = Directory.GetFiles(dir).Select(Path.GetFileName).Order().ToList();
            Assert.Contains(files, f => f!.StartsWith("rendiconti-2026-preview-r", StringComparison.Ordinal) && f.EndsWith(".csv", StringComparison.Ordinal));
            Assert.Contains(files, f => f!.StartsWith("billing-2026-preview-r", StringComparison.Ordinal) && f.EndsWith(".json", StringComparison.Ordinal));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task BillingStatus_AfterPreview_ShowsTheCompletedRunAndItsRevision()
    {
        await cluster.NewEnteAsync();
        var (code, _, err) = await RunAsync("billing", "preview", "--year", "2026");
        Assert.True(code is 0 or 1, $"exit {code}: {err}");

        (code, var output, err) = await RunAsync("billing", "status", "--year", "2026");
        Assert.True(code == 0, $"exit {code}: {err}");
        Assert.StartsWith("2026 preview r0: Completed", output, StringComparison.Ordinal);
        Assert.Contains("TOTAL EUR", output, StringComparison.Ordinal);

        (code, output, err) = await RunAsync("billing", "status", "--year", "2026", "--json");
        Assert.True(code == 0, $"exit {code}: {err}");
        var status = JsonDocument.Parse(output).RootElement;
        Assert.Equal("Completed", status.GetProperty("status").GetString());
        Assert.Equal(0, status.GetProperty("revision").GetInt32());
        var total = status.GetProperty("total").GetDecimal();

        (code, output, err) = await RunAsync("billing", "status", "--year", "2026", "--revision", "0", "--json");
        Assert.True(code == 0, $"exit {code}: {err}");
        Assert.Equal(total, JsonDocument.Parse(output).RootElement.GetProperty("total").GetDecimal());

        // A final run of a year that was never started: nothing to report, but not an error.
        (code, output, err) = await RunAsync("billing", "status", "--year", "2031", "--mode", "final");
        Assert.True(code == 0, $"exit {code}: {err}");
        Assert.StartsWith("2031 final", output, StringComparison.Ordinal);
        Assert.Contains("not started", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BillingExportText_WritesOneStatementPerPayer_WithTheTotalOfTheCsv()
    {
        var (enteId, _, _, name) = await cluster.NewEnteAsync();
        var (code, _, err) = await RunAsync("billing", "preview", "--year", "2026");
        Assert.True(code is 0 or 1, $"exit {code}: {err}");

        var dir = Path.Combine(Path.GetTempPath(), $"cst-export-{Guid.NewGuid():N}");
        try
        {
            (code, var output, err) = await RunAsync("billing", "export", "--year", "2026", "--format", "all", "--out", dir);
            Assert.True(code == 0, $"exit {code}: {err}");
            Assert.StartsWith("2026 preview r0: ", output, StringComparison.Ordinal);
            var folder = Path.Combine(dir, "rendiconti-2026-preview-r0");
            Assert.Contains(folder, output, StringComparison.Ordinal);
            Assert.True(Directory.Exists(folder), $"no folder {folder}: {output}");
            var file = Path.Combine(folder, BillingExport.TextFileName(enteId, 2026, BillingRunMode.Preview, 0));
            Assert.True(File.Exists(file), $"no statement {file} in {string.Join(", ", Directory.GetFiles(folder).Select(Path.GetFileName))}");

            // What the ente pays, summed from the statements CSV, is the amount due of its text statement.
            var csv = BillingExport.ParseCsv(await File.ReadAllTextAsync(Path.Combine(dir, "rendiconti-2026-preview-r0.csv"), Encoding.UTF8));
            var payer = csv[0].IndexOf("pagatore");
            var amount = csv[0].IndexOf("importo");
            var italian = CultureInfo.GetCultureInfo("it-IT");
            var due = csv.Skip(1).Where(r => r[payer] == enteId).Sum(r => decimal.Parse(r[amount], NumberStyles.Number, italian));
            Assert.True(due > 0, $"ente {enteId} has no lines in the CSV");
            var text = await File.ReadAllTextAsync(file, Encoding.UTF8);
            Assert.Contains(name, text, StringComparison.Ordinal);
            Assert.Matches($@"TOTALE DOVUTO da {Regex.Escape(name)}\s+{Regex.Escape(due.ToString("#,##0.00", italian))}", text);

            // The text format alone writes only the folder.
            var textOnly = Path.Combine(dir, "text-only");
            (code, output, err) = await RunAsync("billing", "export", "--year", "2026", "--revision", "0", "--format", "text", "--out", textOnly, "--json");
            Assert.True(code == 0, $"exit {code}: {err}");
            var result = JsonDocument.Parse(output).RootElement;
            Assert.Empty(result.GetProperty("files").EnumerateArray());
            Assert.Equal(Path.Combine(textOnly, "rendiconti-2026-preview-r0"), result.GetProperty("statementsDirectory").GetString());
            Assert.Equal(Directory.GetFiles(folder).Length, Directory.GetFiles(Path.Combine(textOnly, "rendiconti-2026-preview-r0")).Length);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task BillingExportXlsxAndPdf_WriteTheWorkbookWithTextCodesAndOnePdfPerPayer()
    {
        var (enteId, _, _, name) = await cluster.NewEnteAsync();
        var (code, _, err) = await RunAsync("billing", "preview", "--year", "2026");
        Assert.True(code is 0 or 1, $"exit {code}: {err}");

        var dir = Path.Combine(Path.GetTempPath(), $"cst-export-{Guid.NewGuid():N}");
        try
        {
            (code, var output, err) = await RunAsync("billing", "export", "--year", "2026", "--format", "xlsx", "--out", dir);
            Assert.True(code == 0, $"exit {code}: {err}");
            var xlsx = Path.Combine(dir, "rendiconti-2026-preview-r0.xlsx");
            Assert.Contains(xlsx, output, StringComparison.Ordinal);
            // The ente's code is an inline text cell of the lines sheet (the package's XML, read without the writer's library).
            using (var zip = System.IO.Compression.ZipFile.OpenRead(xlsx))
            {
                using var reader = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")?.Open()
                    ?? zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)).Open());
                var sheet = await reader.ReadToEndAsync();
                Assert.Contains($"<x:t xml:space=\"preserve\">{enteId}</x:t>", sheet.Replace("<t ", "<x:t ", StringComparison.Ordinal).Replace("</t>", "</x:t>", StringComparison.Ordinal), StringComparison.Ordinal);
            }

            (code, output, err) = await RunAsync("billing", "pdf", "--year", "2026", "--payer", enteId, "--out", dir);
            Assert.True(code == 0, $"exit {code}: {err}");
            var pdf = Path.Combine(dir, $"previsione-2026-{enteId}.pdf");
            Assert.Contains(pdf, output, StringComparison.Ordinal);
            var text = Cst.Actors.Platform.Tests.Documents.PdfText.Flat(Cst.Actors.Platform.Tests.Documents.PdfText.Extract(await File.ReadAllBytesAsync(pdf)));
            Assert.Contains(name, text, StringComparison.Ordinal);
            Assert.Contains("previsione, non valida ai fini del pagamento", text, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Outbox_ListShowRetry_AnswerFromTheTableAndNameAMissingMessage()
    {
        var (code, output, err) = await RunAsync("outbox", "list", "--json");
        Assert.True(code == 0, $"exit {code}: {err}");
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(output).RootElement.ValueKind);

        (code, _, err) = await RunAsync("outbox", "show", "987654");
        Assert.Equal(1, code);
        Assert.Contains("no outbox message 987654", err, StringComparison.Ordinal);

        (code, _, err) = await RunAsync("outbox", "retry", "987654");
        Assert.Equal(1, code);
        Assert.Contains("no outbox message 987654", err, StringComparison.Ordinal);

        (code, _, err) = await RunAsync("outbox", "list", "--status", "lost");
        Assert.Equal(2, code);
    }
}
