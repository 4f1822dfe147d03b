using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;
using Cst.Actors.Documents;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Domain.Tests.Billing;
using NodaTime;

namespace Cst.Actors.Domain.Tests.Documents;

/// <summary>
/// The xlsx read back without the library that wrote it: the package's XML parsed directly. Scenario
/// <see cref="BillingScenario"/>: 3 enti (codes 000001-000003), 8 lines, 3,044.13; Beta pays 2,261.00, Alfa 783.13.
/// </summary>
public class BillingWorkbookTests
{
    private static readonly XNamespace S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    [Fact]
    public void Write_ReadBackRaw_CodesAreTextAmountsNumbersDatesDates()
    {
        var statements = BillingScenario.Statements();
        var totals = RunTotals.Of(BillingScenario.Year, BillingRunMode.Final, 1, statements);

        var book = Read(BillingWorkbook.Write(totals, statements));

        Assert.Equal(["Righe", "Rendiconti", "Totali"], book.Sheets.Keys);
        var lines = book.Sheets["Righe"];
        Assert.Equal(BillingExport.StatementColumns, lines[0].Select(c => c.Text));
        var data = lines.Skip(1).ToList();
        Assert.Equal(8, data.Count);
        int Col(string name) => BillingExport.StatementColumns.ToList().IndexOf(name);

        // Codes are text cells, leading zeros kept; so is a listino version that looks like a date.
        Assert.All(data, r => Assert.Equal("inlineStr", r[Col("ente")].Type));
        Assert.Equal(["000001", "000001", "000001", "000002", "000002", "000002", "000003", "000003"], data.Select(r => r[Col("ente")].Text));
        Assert.All(data, r => Assert.Equal(("inlineStr", "2020-10"), (r[Col("versione_listino")].Type, r[Col("versione_listino")].Text)));
        Assert.All(data, r => Assert.Equal("@", book.FormatOf(r[Col("ente")].Style)));

        // Amounts are numbers formatted #,##0.00 (#.##0,00 in an Italian locale), and add up to the run's total.
        Assert.All(data, r => Assert.Equal((null, "#,##0.00"), (r[Col("importo")].Type, book.FormatOf(r[Col("importo")].Style))));
        Assert.Equal(3044.13m, data.Sum(r => r[Col("importo")].Number));
        Assert.Equal(783.13m, data.Where(r => r[Col("ente")].Text == "000001").Sum(r => r[Col("importo")].Number));

        // Dates are serial day numbers with a date format: PEC standard of Alfa from 01/08/2025 (45870) to 31/12/2025 (46022).
        var pec = data.Single(r => r[Col("ente")].Text == "000001" && r[Col("servizio")].Text == "s.11");
        Assert.Equal((45870m, 46022m), (pec[Col("dal")].Number, pec[Col("al")].Number));
        Assert.Equal("dd/mm/yyyy", book.FormatOf(pec[Col("dal")].Style));
        Assert.Equal(new DateTime(2025, 8, 1), DateTime.FromOADate((double)pec[Col("dal")].Number));
        Assert.Equal(3.13m, pec[Col("importo")].Number);

        // Statements by payer, and the totals by service, listino version and payer, each summing to the grand total.
        var byPayer = book.Sheets["Rendiconti"].Skip(1).ToList();
        Assert.Equal(["000001 000001 783.13", "000002 000002 1500.00", "000002 000003 761.00"],
            byPayer.Select(r => $"{r[0].Text} {r[2].Text} {r[5].Number.ToString("0.00", CultureInfo.InvariantCulture)}"));
        var totalsSheet = book.Sheets["Totali"].Skip(1).ToList();
        foreach (var voce in new[] { "servizio", "versione_listino", "pagatore" })
        {
            Assert.Equal(3044.13m, totalsSheet.Where(r => r[0].Text == voce).Sum(r => r[5].Number));
        }

        Assert.Equal(2261.00m, totalsSheet.Single(r => r[0].Text == "pagatore" && r[1].Text == "000002")[5].Number);
        var grand = totalsSheet.Single(r => r[0].Text == "totale");
        Assert.Equal((3044.13m, 3m, 8m), (grand[5].Number, grand[3].Number, grand[4].Number));
    }

    [Fact]
    public void Write_ClosedRevisionDocuments_StatementsSheetHasNumberDueDateAndPagoPaNoticeCodeAsText()
    {
        var statements = BillingScenario.Statements();
        var totals = RunTotals.Of(BillingScenario.Year, BillingRunMode.Final, 1, statements);
        // Alfa pays for itself; Beta for itself and Gamma. A notice code beginning with 0 must keep it.
        WorkbookDocument[] documents =
        [
            new("000001", "3/2026", new LocalDate(2026, 1, 20), new LocalDate(2026, 2, 19), "001000000000012345"),
            new("000002", "4/2026", new LocalDate(2026, 1, 20), new LocalDate(2026, 2, 19), null),
        ];

        var book = Read(BillingWorkbook.Write(totals, statements, documents));

        var sheet = book.Sheets["Rendiconti"];
        Assert.Equal(BillingWorkbook.StatementColumns, sheet[0].Select(c => c.Text));
        int Col(string name) => BillingWorkbook.StatementColumns.ToList().IndexOf(name);
        var rows = sheet.Skip(1).ToList();
        Assert.Equal(["000001 3/2026 001000000000012345", "000002 4/2026 ", "000002 4/2026 "],
            rows.Select(r => $"{r[0].Text} {r[Col("numero_documento")].Text} {r[Col("codice_avviso_pagopa")].Text}"));
        var alfa = rows[0];
        Assert.Equal("inlineStr", alfa[Col("codice_avviso_pagopa")].Type);
        Assert.Equal("inlineStr", alfa[Col("numero_documento")].Type);
        // 19/02/2026 is day 46072 of the spreadsheet's calendar, shown as a date.
        Assert.Equal(46072m, alfa[Col("scadenza")].Number);
        Assert.Equal("dd/mm/yyyy", book.FormatOf(alfa[Col("scadenza")].Style));
        Assert.Equal(new DateTime(2026, 2, 19), DateTime.FromOADate((double)alfa[Col("scadenza")].Number));
    }

    private sealed record RawCell(string? Type, int Style, string Text)
    {
        public decimal Number => decimal.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private sealed record RawBook(Dictionary<string, List<List<RawCell>>> Sheets, Dictionary<int, string> Formats)
    {
        public string FormatOf(int style) => Formats[style];
    }

    /// <summary>The workbook's sheets and cell formats, from the package's XML alone.</summary>
    private static RawBook Read(byte[] xlsx)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read);
        XDocument Part(string name) => XDocument.Load(zip.GetEntry(name)!.Open());
        var rels = Part("xl/_rels/workbook.xml.rels").Root!.Elements()
            .ToDictionary(e => (string)e.Attribute("Id")!, e => (string)e.Attribute("Target")!);
        var sheets = new Dictionary<string, List<List<RawCell>>>();
        foreach (var sheet in Part("xl/workbook.xml").Descendants(S + "sheet"))
        {
            var target = rels[(string)sheet.Attribute(R + "id")!].TrimStart('/');
            var path = target.StartsWith("xl/", StringComparison.Ordinal) ? target : "xl/" + target;
            sheets[(string)sheet.Attribute("name")!] = [.. Part(path).Descendants(S + "row").Select(row => row.Elements(S + "c").Select(c =>
                new RawCell((string?)c.Attribute("t"), (int?)c.Attribute("s") ?? 0,
                    (string?)c.Element(S + "v") ?? string.Concat(c.Descendants(S + "t").Select(t => t.Value)))).ToList())];
        }

        var styles = Part("xl/styles.xml").Root!;
        var custom = styles.Descendants(S + "numFmt").ToDictionary(n => (int)n.Attribute("numFmtId")!, n => (string)n.Attribute("formatCode")!);
        var builtIn = new Dictionary<int, string> { [0] = "General", [1] = "0", [49] = "@" };
        var formats = styles.Element(S + "cellXfs")!.Elements(S + "xf")
            .Select((xf, i) => (i, id: (int?)xf.Attribute("numFmtId") ?? 0))
            .ToDictionary(x => x.i, x => custom.TryGetValue(x.id, out var code) ? code : builtIn[x.id]);
        return new RawBook(sheets, formats);
    }
}
