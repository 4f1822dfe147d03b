using System.Globalization;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Domain.Validation;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using NodaTime;

namespace Cst.Actors.Documents;

/// <summary>
/// A billing run as an Excel workbook (.xlsx) with typed cells, so that Excel or LibreOffice in an Italian locale shows
/// it right without an import step: codes (ente, ISTAT, listino version) as text, leading zeros kept (<c>028001</c>);
/// amounts as numbers with the format <c>#,##0.00</c> (shown <c>1.234,56</c> in an Italian locale); dates as dates
/// (<c>dd/mm/yyyy</c>). Sheets: <c>Righe</c> (one row per line, the CSV's columns), <c>Rendiconti</c> (one row per ente's
/// statement, by payer), <c>Totali</c> (by service, by listino version, by payer, and the grand total).
/// Written row by row (OpenXmlWriter), so a national run does not build the whole sheet in memory.
/// </summary>
/// <summary>A payer's numbered document in a closed final revision, as the statements sheet lists it.</summary>
public sealed record WorkbookDocument(string PayerId, string Number, LocalDate IssuedOn, LocalDate DueDate, string? NoticeCode);

public static class BillingWorkbook
{
    public const string LinesSheet = "Righe";
    public const string StatementsSheet = "Rendiconti";
    public const string TotalsSheet = "Totali";

    /// <summary>The number format of amounts (Excel's own notation; the locale shows the separators).</summary>
    public const string AmountFormat = "#,##0.00";

    public const string DateFormat = "dd/mm/yyyy";

    /// <summary>The columns of the statements sheet.</summary>
    public static readonly IReadOnlyList<string> StatementColumns =
        ["pagatore", "nome_pagatore", "ente", "nome_ente", "righe", "totale", "numero_documento", "data_documento", "scadenza", "codice_avviso_pagopa"];

    private const uint Text = 1;
    private const uint Amount = 2;
    private const uint Date = 3;
    private const uint Heading = 4;
    private const uint Integer = 5;
    private const uint Number = 6;
    private const uint BoldAmount = 7;

    private static readonly LocalDate ExcelEpoch = new(1899, 12, 30);

    /// <summary>
    /// The workbook of a revision; <paramref name="documents"/> (a closed final revision's numbered documents) adds each
    /// payer's document number, dates and PagoPA notice code to the statements sheet.
    /// </summary>
    public static byte[] Write(RunTotals totals, IReadOnlyList<BilledStatement> statements, IReadOnlyList<WorkbookDocument>? documents = null)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(statements);
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            Sheet(workbook, sheets, 1, LinesSheet, [14, 8, 10, 10, 36, 10, 36, 6, 40, 10, 36, 16, 36, 30, 12, 12, 6, 10, 14, 14, 14, 14, 12, 44, 40],
                w => LineRows(w, statements));
            Sheet(workbook, sheets, 2, StatementsSheet, [10, 36, 10, 36, 8, 14, 12, 12, 12, 22], w => StatementRows(w, statements, documents ?? []));
            Sheet(workbook, sheets, 3, TotalsSheet, [18, 24, 44, 8, 8, 16], w => TotalRows(w, totals, statements));
            workbook.Workbook.Save();
        }

        return stream.ToArray();
    }

    /// <summary>The file name: rendiconti-2025-final-r1.xlsx.</summary>
    public static string FileName(RunTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        return string.Create(CultureInfo.InvariantCulture, $"rendiconti-{totals.Year}-{BillingExport.Mode(totals.Mode)}-r{totals.Revision}.xlsx");
    }

    private static void LineRows(OpenXmlWriter w, IReadOnlyList<BilledStatement> statements)
    {
        Row(w, [.. BillingExport.StatementColumns.Select(c => TextCell(c, Heading))]);
        foreach (var s in statements)
        {
            foreach (var l in s.Lines)
            {
                Row(w,
                [
                    IntCell(s.Year), TextCell(BillingExport.Mode(s.Mode)), IntCell(s.Revision), TextCell(s.EnteId), TextCell(s.EnteName),
                    TextCell(s.PayerId), TextCell(s.PayerName), IntCell(l.LineNo), TextCell(l.LineKey), TextCell(l.ServiceId),
                    TextCell(l.ServiceName), TextCell(l.ComponentId), TextCell(l.ComponentName), TextCell(l.SubscriptionId),
                    DateCell(l.PeriodStart), DateCell(l.PeriodEnd.PlusDays(-1)), l.Months is { } m ? IntCell(m) : Empty(),
                    NumberCell(l.Quantity, Number), MoneyCell(l.UnitPrice), MoneyCell(l.Amount),
                    l.PreviouslyBilled is { } p ? MoneyCell(p) : Empty(), TextCell(l.ListinoId), TextCell(l.ListinoVersion),
                    TextCell(l.Section), TextCell(l.Note),
                ]);
            }
        }
    }

    private static void StatementRows(OpenXmlWriter w, IReadOnlyList<BilledStatement> statements, IReadOnlyList<WorkbookDocument> documents)
    {
        Row(w, [.. StatementColumns.Select(c => TextCell(c, Heading))]);
        var byPayer = documents.ToDictionary(d => d.PayerId, StringComparer.Ordinal);
        foreach (var payer in PayerGrouping.Group(statements))
        {
            var d = byPayer.GetValueOrDefault(payer.PayerId);
            foreach (var s in payer.Members)
            {
                // The notice code is 18 digits: text, or a spreadsheet would round it as a number.
                Row(w, [TextCell(s.PayerId), TextCell(s.PayerName), TextCell(s.EnteId), TextCell(s.EnteName), IntCell(s.Lines.Count), MoneyCell(s.Total),
                    d is null ? Empty() : TextCell(d.Number), d is null ? Empty() : DateCell(d.IssuedOn), d is null ? Empty() : DateCell(d.DueDate),
                    d?.NoticeCode is { } code ? TextCell(code) : Empty()]);
            }
        }
    }

    private static void TotalRows(OpenXmlWriter w, RunTotals totals, IReadOnlyList<BilledStatement> statements)
    {
        Row(w, [.. BillingExport.TotalColumns.Skip(3).Select(c => TextCell(c, Heading))]);
        foreach (var r in totals.ByService)
        {
            Row(w, [TextCell("servizio"), TextCell(r.Key), TextCell(r.Name), Empty(), IntCell(r.Lines), MoneyCell(r.Amount)]);
        }

        foreach (var r in totals.ByListinoVersion)
        {
            Row(w, [TextCell("versione_listino"), TextCell(r.Key), TextCell(r.Name), Empty(), IntCell(r.Lines), MoneyCell(r.Amount)]);
        }

        foreach (var p in PayerGrouping.Group(statements))
        {
            Row(w, [TextCell("pagatore"), TextCell(p.PayerId), TextCell(p.PayerName), IntCell(p.Members.Count),
                IntCell(p.Members.Sum(m => m.Lines.Count)), MoneyCell(p.Total)]);
        }

        Row(w, [TextCell("totale", Heading), Empty(), TextCell("Totale generale", Heading), IntCell(totals.Enti), IntCell(totals.Lines),
            MoneyCell(totals.GrandTotal, BoldAmount)]);
    }

    private static void Sheet(WorkbookPart workbook, Sheets sheets, uint id, string name, double[] widths, Action<OpenXmlWriter> rows)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        using (var w = OpenXmlWriter.Create(part))
        {
            w.WriteStartElement(new Worksheet());
            // The heading row stays in view while scrolling.
            w.WriteElement(new SheetViews(new SheetView(new Pane
            {
                VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen,
            }) { WorkbookViewId = 0 }));
            w.WriteElement(new Columns(widths.Select((width, i) => new Column
            {
                Min = (uint)(i + 1), Max = (uint)(i + 1), Width = width, CustomWidth = true,
            })));
            w.WriteStartElement(new SheetData());
            rows(w);
            w.WriteEndElement();
            w.WriteEndElement();
        }

        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id, Name = name });
    }

    private static void Row(OpenXmlWriter w, Cell[] cells)
    {
        w.WriteStartElement(new Row());
        foreach (var cell in cells)
        {
            w.WriteElement(cell);
        }

        w.WriteEndElement();
    }

    /// <summary>A text cell (format @): a code keeps its leading zeros, a name that looks like a formula stays text.</summary>
    private static Cell TextCell(string? value, uint style = Text) => new()
    {
        DataType = CellValues.InlineString,
        StyleIndex = style,
        InlineString = new InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(Guard.Printable(value ?? string.Empty))
        {
            Space = SpaceProcessingModeValues.Preserve,
        }),
    };

    private static Cell IntCell(int value) => NumberCell(value, Integer);

    private static Cell NumberCell(decimal value, uint style) => new() { CellValue = new CellValue(value), StyleIndex = style };

    private static Cell MoneyCell(Money value, uint style = Amount) => NumberCell(value.Euros, style);

    /// <summary>A date as Excel's serial day number (days since 30 December 1899) with a date format.</summary>
    private static Cell DateCell(LocalDate date) =>
        new() { CellValue = new CellValue(Period.Between(ExcelEpoch, date, PeriodUnits.Days).Days), StyleIndex = Date };

    private static Cell Empty() => new() { StyleIndex = Text };

    private static Stylesheet Styles() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = 164, FormatCode = AmountFormat },
            new NumberingFormat { NumberFormatId = 165, FormatCode = DateFormat },
            new NumberingFormat { NumberFormatId = 166, FormatCode = "0.####" }) { Count = 3 },
        new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" })) { Count = 2 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
        new CellFormats(
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 },
            new CellFormat { NumberFormatId = 49, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 165, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 49, FontId = 1, ApplyNumberFormat = true, ApplyFont = true },
            new CellFormat { NumberFormatId = 1, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 166, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 164, FontId = 1, ApplyNumberFormat = true, ApplyFont = true }) { Count = 8 });
}
