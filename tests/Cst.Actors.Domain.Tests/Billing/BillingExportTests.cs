using System.Globalization;
using System.Text;
using System.Text.Json;
using Cst.Actors.Domain.Billing;
using NodaTime;

namespace Cst.Actors.Domain.Tests.Billing;

/// <summary>The export files parse back to the same totals (scenario: <see cref="BillingScenario"/>, 3,044.13).</summary>
public class BillingExportTests
{
    private static readonly CultureInfo Italian = CultureInfo.GetCultureInfo("it-IT");

    private static RunTotals Totals => RunTotals.Of(BillingScenario.Year, BillingRunMode.Final, 1, BillingScenario.Statements());

    [Fact]
    public void StatementsCsv_ParsedBack_GivesTheSameTotals()
    {
        var bytes = BillingExport.ToFileBytes(BillingExport.StatementsCsv(BillingScenario.Statements()), byteOrderMark: true);

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var rows = BillingExport.ParseCsv(new UTF8Encoding(true).GetString(bytes[3..]));
        Assert.Equal(BillingExport.StatementColumns, rows[0]);
        var amount = rows[0].IndexOf("importo");
        var ente = rows[0].IndexOf("ente");
        var data = rows.Skip(1).ToList();
        Assert.Equal(8, data.Count);
        Assert.All(data, r => Assert.Equal(BillingExport.StatementColumns.Count, r.Count));
        Assert.Equal(3044.13m, data.Sum(r => decimal.Parse(r[amount], Italian)));
        Assert.Equal(783.13m, data.Where(r => r[ente] == "000001").Sum(r => decimal.Parse(r[amount], Italian)));
        // Decimal comma, Italian dates, the last day of the period: PEC standard 01/08/2025-31/12/2025, 3,13
        Assert.Contains(data, r => r[rows[0].IndexOf("dal")] == "01/08/2025" && r[rows[0].IndexOf("al")] == "31/12/2025" && r[amount] == "3,13");
    }

    [Fact]
    public void TotalsCsv_ParsedBack_GivesTheSameTotals()
    {
        var rows = BillingExport.ParseCsv(BillingExport.TotalsCsv(Totals));

        var voce = rows[0].IndexOf("voce");
        var amount = rows[0].IndexOf("importo");
        var grand = Assert.Single(rows, r => r[voce] == "totale");
        Assert.Equal("3044,13", grand[amount]);
        Assert.Equal("3", grand[rows[0].IndexOf("enti")]);
        Assert.Equal("8", grand[rows[0].IndexOf("righe")]);
        Assert.Equal(3044.13m, rows.Where(r => r[voce] == "servizio").Sum(r => decimal.Parse(r[amount], Italian)));
        Assert.Equal(3044.13m, rows.Where(r => r[voce] == "versione_listino").Sum(r => decimal.Parse(r[amount], Italian)));
    }

    [Fact]
    public void StatementsCsv_FieldWithSeparatorOrQuote_IsQuoted()
    {
        var statement = BillingScenario.Statements()[0] with { EnteName = "Comune di \"Alfa\"; sede" };

        var rows = BillingExport.ParseCsv(BillingExport.StatementsCsv([statement]));

        Assert.Equal("Comune di \"Alfa\"; sede", rows[1][rows[0].IndexOf("nome_ente")]);
    }

    [Fact]
    public void Json_ParsedBack_GivesTheSameTotals()
    {
        using var json = JsonDocument.Parse(BillingExport.Json(Totals, BillingScenario.Statements()));
        var root = json.RootElement;

        Assert.Equal(3044.13m, root.GetProperty("totals").GetProperty("grandTotal").GetDecimal());
        var statements = root.GetProperty("statements").EnumerateArray().ToList();
        Assert.Equal(3044.13m, statements.Sum(s => s.GetProperty("total").GetDecimal()));
        Assert.Equal(3044.13m, statements.SelectMany(s => s.GetProperty("lines").EnumerateArray()).Sum(l => l.GetProperty("amount").GetDecimal()));
        Assert.Equal(14.13m, root.GetProperty("totals").GetProperty("byService").EnumerateArray()
            .Single(r => r.GetProperty("key").GetString() == "s.11").GetProperty("amount").GetDecimal());
        Assert.Contains("\"unitPrice\": 7.5", BillingExport.Json(Totals, BillingScenario.Statements()), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_Capofila_ShowsEachMemberAndTheAmountDue()
    {
        var beta = PayerGrouping.Group(BillingScenario.Statements()).Single(p => p.PayerId == "000002");

        var text = BillingExport.Text(beta, 2025, BillingRunMode.Final, 1, new LocalDate(2026, 1, 15));

        Assert.Contains("Rendiconto dei contributi - anno 2025", text, StringComparison.Ordinal);
        Assert.Contains("Ente associato: Comune di Gamma (000003)", text, StringComparison.Ordinal);
        Assert.Contains("1.500,00", text, StringComparison.Ordinal);
        Assert.Matches(@"TOTALE DOVUTO da Comune di Beta\s+2\.261,00", text);
        Assert.All(text.Split('\n'), l => Assert.True(l.TrimEnd('\r').Length <= 110, $"line too wide: {l}"));
    }
}
