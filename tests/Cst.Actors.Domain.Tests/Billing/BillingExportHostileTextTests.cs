using System.Globalization;
using Cst.Actors.Domain.Billing;
using NodaTime;

namespace Cst.Actors.Domain.Tests.Billing;

/// <summary>Names stored before the checks on control characters and formulas existed must not reach Excel or a terminal raw.</summary>
public sealed class BillingExportHostileTextTests
{
    private const string Formula = "=HYPERLINK(\"http://evil.example/x\",\"Comune\")";

    [Fact]
    public void ListinoImpactCsv_FormulaInName_IsWrittenAsText_AndANegativeDifferenceStaysANumber()
    {
        // A proposed version that lowers an ente's contribution: 100.00 -> 80.00, a difference of -20.00 (-20 %).
        var impact = new ListinoImpact("cst-padova", "2027-01", 2027,
            [new EnteImpact("028001", Formula, Money.Euro(100m), Money.Euro(80m))], [], []);

        var rows = BillingExport.ParseCsv(impact.ToCsv());

        Assert.Equal(["ente", "028001", "'" + Formula, "100,00", "80,00", "-20,00", "-20,00"], rows[1]);
    }

    [Fact]
    public void StatementsCsv_FormulaInName_IsWrittenAsText_AndANegativeAmountStaysANumber()
    {
        var original = BillingScenario.Statements()[0];
        var refund = original.Lines[0] with { LineNo = 99, LineKey = "rettifica", Amount = Money.Euro(-50m), UnitPrice = Money.Euro(-50m), Quantity = 1m };
        var statement = original with { EnteName = Formula, PayerName = "@SUM(1+1)", Lines = [original.Lines[0], refund] };

        var rows = BillingExport.ParseCsv(BillingExport.StatementsCsv([statement]));

        var header = rows[0];
        Assert.Equal("'" + Formula, rows[1][header.IndexOf("nome_ente")]);
        Assert.Equal("'@SUM(1+1)", rows[1][header.IndexOf("nome_pagatore")]);
        var amounts = rows.Skip(1).Select(r => r[header.IndexOf("importo")]).ToList();
        Assert.Contains("-50,00", amounts);
        Assert.All(amounts, a => decimal.Parse(a, CultureInfo.GetCultureInfo("it-IT")));
    }

    [Fact]
    public void TotalsCsv_FormulaInServiceName_IsWrittenAsText()
    {
        var statements = BillingScenario.Statements();
        var first = statements[0] with { Lines = [.. statements[0].Lines.Select(l => l with { ServiceName = "+cmd|' /C calc'!A0" })] };

        var csv = BillingExport.TotalsCsv(RunTotals.Of(2025, BillingRunMode.Final, 1, [first, .. statements.Skip(1)]));

        Assert.Contains("'+cmd|' /C calc'!A0", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(";+cmd", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_EscapeSequencesInStoredNames_AreNeutralised()
    {
        var original = BillingScenario.Statements()[0];
        var statement = original with
        {
            EnteName = "Comune\u001b[2J\u001b]0;pwned\u0007 di\u202E Alfa\r",
            PayerName = "Comune\u001b[2J\u001b]0;pwned\u0007 di\u202E Alfa\r",
            Lines = [.. original.Lines.Select(l => l with { Note = "nota\u009b31m" })],
        };
        var payer = PayerGrouping.Group([statement]).Single();

        var text = BillingExport.Text(payer, 2025, BillingRunMode.Final, 1, new LocalDate(2026, 1, 15));

        Assert.DoesNotContain(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal),
            c => char.IsControl(c) || c is '\u202E');
        Assert.Contains("Comune?[2J?]0;pwned? di? Alfa?", text, StringComparison.Ordinal);
    }
}
