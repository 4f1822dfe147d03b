using System.CommandLine;
using System.Text.Json.Nodes;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Connection;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Domain.Billing;

namespace Cst.Actors.Admin.Commands;

/// <summary>
/// cst billing pagopa: accounting gives the PagoPA notice code (codice avviso) of each numbered statement, one at a time
/// (--payer and --avviso) or as a CSV of document numbers and notice codes, as the treasury's platform lists them.
/// </summary>
public sealed partial class CommandMode
{
    internal const string PagoPaUsage =
        """
          billing pagopa --year Y [--revision N] --payer CODE --avviso CODE | --file FILE.csv
                                                the PagoPA notice code of numbered statements, one or a CSV of
                                                numero;codice_avviso (e.g. 12/2026;301000000000012345)
        """;

    private void AddBillingPagoPa(Command billing, Func<Option<int?>> revision)
    {
        var year = Year("the billing year of the closed final run", required: true);
        var rev = revision();
        var payer = StrictCommandLine.Text("--payer", "the payer whose document gets the code", "CODE");
        var code = StrictCommandLine.Text("--avviso", "the 18-digit PagoPA notice code (codice avviso)", "CODE");
        var file = StrictCommandLine.Text("--file", "a CSV of document numbers and notice codes: numero;codice_avviso, a heading row allowed", "FILE");
        Verb(billing, "pagopa", "record the PagoPA notice codes accounting gave for numbered statements", [year, rev, payer, code, file], p =>
        {
            var y = p.GetValue(year)!.Value;
            var n = p.GetValue(rev);
            var json = Json(p);
            var one = (Payer: p.GetValue(payer), Code: p.GetValue(code));
            var csv = p.GetValue(file);
            var single = one.Payer is not null || one.Code is not null;
            if (single == (csv is not null) || (single && (one.Payer is null || one.Code is null)))
            {
                throw new InputException("billing pagopa needs either --payer and --avviso, or --file FILE.csv.");
            }

            List<(string? Number, string? Payer, string Code)> pairs = csv is null ? [(null, one.Payer, one.Code!)] : ReadNoticeCodes(csv);
            return async s =>
            {
                var grain = s.Grains.GetGrain<IStatementDocumentGrain>(BillingRunKey.For(y, BillingRunMode.Final));
                IReadOnlyList<IssuedStatement> issued = csv is null ? [] : await s.CallAsync("reading the numbered documents", () => grain.GetIssuedAsync(n));
                var recorded = new JsonArray();
                foreach (var (number, payerId, notice) in pairs)
                {
                    var target = payerId ?? issued.FirstOrDefault(d => d.NumberText == number)?.PayerId
                        ?? throw new InputException($"document {number} ({csv}) is not a document of the final run {y}{(n is { } r ? $" revision {r}" : string.Empty)}.");
                    var document = await s.CallAsync($"recording the notice code of {target}", () => grain.SetNoticeCodeAsync(n, target, notice, s.Operator));
                    recorded.Add(new JsonObject { ["number"] = document.NumberText, ["payer"] = document.PayerId, ["noticeCode"] = document.NoticeCode });
                    if (!json)
                    {
                        output.WriteLine($"n. {document.NumberText} {document.PayerName} ({document.PayerId}): codice avviso {document.NoticeCode}");
                    }
                }

                if (json)
                {
                    WriteJson(recorded);
                }

                return ExitOk;
            };
        });
    }

    /// <summary>The rows of a CSV of numero;codice_avviso (or with commas); a first row that is not a number is a heading.</summary>
    private static List<(string? Number, string? Payer, string Code)> ReadNoticeCodes(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (IOException e)
        {
            throw new InputException($"cannot read {path}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InputException($"cannot read {path}: {e.Message}");
        }

        var result = new List<(string?, string?, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var fields = lines[i].Trim().TrimStart('\uFEFF').Split(lines[i].Contains(';', StringComparison.Ordinal) ? ';' : ',')
                .Select(f => f.Trim().Trim('"').Trim()).ToArray();
            if (fields.All(f => f.Length == 0) || (result.Count == 0 && i == 0 && !fields[0].Contains('/', StringComparison.Ordinal)))
            {
                continue;
            }

            if (fields.Length < 2 || !fields[0].Contains('/', StringComparison.Ordinal))
            {
                throw new InputException($"{path} line {i + 1}: expected numero;codice_avviso (e.g. 12/2026;301000000000012345), not '{lines[i].Trim()}'.");
            }

            result.Add((fields[0], null, fields[1]));
        }

        return result;
    }
}
