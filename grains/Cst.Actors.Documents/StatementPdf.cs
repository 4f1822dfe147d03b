using System.Globalization;
using System.Text;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Domain.Validation;
using NodaTime;
using NodaTime.Text;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Cst.Actors.Documents;

/// <summary>
/// A payer's statement (<i>rendiconto dei contributi</i>) as an A4 PDF in Italian: issuer, payer with codice fiscale
/// and PEC, number, year and revision; for each ente it pays for, each line with the object it is for, the service
/// and article of the listino, period, months, quantity, unit price and amount, and a subtotal; then the total due, the
/// due date and how to pay. Long texts wrap within their column, never cut; the table continues on further pages
/// with its heading repeated, and every page says which page of how many it is.
/// </summary>
public static class StatementPdf
{
    /// <summary>What the payer's box says when the CST holds no codice fiscale for the payer.</summary>
    public const string MissingCodiceFiscale = "non registrato presso il CST (comunicatelo al CST)";

    private const double Left = 42;
    private const double Right = 553;
    private const double Top = 40;
    private const double Bottom = 790;
    private const double Width = Right - Left;

    private static readonly CultureInfo Italian = CultureInfo.GetCultureInfo("it-IT");
    private static readonly LocalDatePattern ItalianDate = LocalDatePattern.CreateWithInvariantCulture("dd/MM/yyyy");

    // Oggetto, Servizio e articolo, Periodo, Mesi, Quantità, Prezzo unitario, Importo.
    private static readonly double[] Columns = [108, 150, 56, 28, 40, 60, 69];
    private static readonly string[] Headings = ["Oggetto", "Servizio e articolo", "Periodo", "Mesi", "Quantità", "Prezzo unitario", "Importo"];
    private static readonly bool[] RightAligned = [false, false, false, true, true, true, true];

    public static byte[] Render(StatementDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        StatementFonts.Install();
        var writer = new Writer(document);
        writer.Write();
        return writer.Finish();
    }

    /// <summary>The document's text lines as they are laid out; the PDF draws exactly these.</summary>
    private sealed class Writer(StatementDocument doc)
    {
        private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
        private readonly XFont _title = new(StatementFonts.Family, 13, XFontStyleEx.Bold, Unicode);
        private readonly XFont _heading = new(StatementFonts.Family, 10, XFontStyleEx.Bold, Unicode);
        private readonly XFont _text = new(StatementFonts.Family, 9, XFontStyleEx.Regular, Unicode);
        private readonly XFont _small = new(StatementFonts.Family, 7.5, XFontStyleEx.Regular, Unicode);
        private readonly XFont _smallBold = new(StatementFonts.Family, 7.5, XFontStyleEx.Bold, Unicode);
        private readonly XFont _mark = new(StatementFonts.Family, 30, XFontStyleEx.Bold, Unicode);
        private readonly PdfDocument _pdf = new();
        private XGraphics? _gfx;
        private double _y;

        private XGraphics G => _gfx!;

        public void Write()
        {
            _pdf.Info.Title = Title();
            _pdf.Info.Author = doc.Issuer.Heading;
            _pdf.Info.Subject = $"{P(doc.Payer.PayerName)} ({doc.Payer.PayerId})";
            NewPage();
            Header();
            foreach (var statement in doc.Payer.Members)
            {
                Ente(statement);
            }

            Totals();
            Payment();
            Signature();
        }

        public byte[] Finish()
        {
            _gfx?.Dispose();
            var count = _pdf.PageCount;
            for (var i = 0; i < count; i++)
            {
                using var gfx = XGraphics.FromPdfPage(_pdf.Pages[i], XGraphicsPdfPageOptions.Append);
                var footer = $"{doc.Issuer.Heading} — {DocumentName()} — pagina {i + 1} di {count}";
                var lines = WrapText(gfx, footer, _small, Width);
                var y = 812.0;
                foreach (var line in lines)
                {
                    gfx.DrawString(line, _small, XBrushes.Gray, new XRect(Left, y, Width, 10), XStringFormats.TopCenter);
                    y += 9;
                }
            }

            using var stream = new MemoryStream();
            _pdf.Save(stream, closeStream: false);
            return stream.ToArray();
        }

        private string Title() => doc.Mode == BillingRunMode.Preview
            ? $"Previsione dei contributi per l'anno {doc.Year}"
            : doc.Revision > 1
                ? $"Rendiconto dei contributi — anno {doc.Year} — revisione {doc.Revision} (rettifiche)"
                : $"Rendiconto dei contributi — anno {doc.Year}";

        private string DocumentName() =>
            doc.NumberText is { } n ? $"rendiconto n. {n}" : doc.Mode == BillingRunMode.Preview ? "previsione" : "bozza";

        private void NewPage()
        {
            _gfx?.Dispose();
            var page = _pdf.AddPage();
            page.Size = PageSize.A4;
            _gfx = XGraphics.FromPdfPage(page);
            _y = Top;
            if (doc.Watermark is { } mark)
            {
                // Under everything else on the page, across it.
                var state = G.Save();
                G.TranslateTransform(page.Width.Point / 2, page.Height.Point / 2);
                G.RotateTransform(-40);
                var brush = new XSolidBrush(XColor.FromArgb(60, 200, 0, 0));
                G.DrawString(mark, _mark, brush, new XPoint(0, 0), XStringFormats.Center);
                G.Restore(state);
            }
        }

        private void Header()
        {
            Paragraph(doc.Issuer.Heading, _title);
            var contacts = new List<string>();
            if (Has(doc.Issuer.Address))
            {
                contacts.Add(doc.Issuer.Address);
            }

            if (Has(doc.Issuer.CodiceFiscale))
            {
                contacts.Add("C.F. " + doc.Issuer.CodiceFiscale);
            }

            if (Has(doc.Issuer.Pec))
            {
                contacts.Add("PEC " + doc.Issuer.Pec);
            }

            Paragraph(string.Join(" — ", contacts), _text);
            Rule(1);
            _y += 6;
            Paragraph(Title().ToUpper(Italian), _heading);
            var number = doc.NumberText is { } n
                ? $"Documento n. {n} del {Date(doc.IssuedOn)} — anno {doc.Year}, revisione {doc.Revision}"
                : doc.Mode == BillingRunMode.Preview
                    ? $"Stima su quanto registrato al {Date(doc.IssuedOn)}: previsione, non valida ai fini del pagamento"
                    : $"Revisione {doc.Revision} non ancora chiusa al {Date(doc.IssuedOn)}: bozza senza numero, non valida ai fini del pagamento";
            Paragraph(number, _text);
            _y += 6;

            // The payer's box.
            var box = new List<(string Text, XFont Font)>
            {
                ("Destinatario", _smallBold),
                (P(doc.Payer.PayerName), _heading),
                ("Codice fiscale: " + (Has(doc.PayerCodiceFiscale) ? P(doc.PayerCodiceFiscale) : MissingCodiceFiscale), _text),
                ("PEC: " + (Has(doc.PayerPec) ? P(doc.PayerPec) : "non registrata"), _text),
                ("Codice ente: " + P(doc.Payer.PayerId), _text),
            };
            var lines = box.SelectMany(b => WrapText(G, b.Text, b.Font, Width / 2 - 12).Select(l => (l, b.Font))).ToList();
            var height = lines.Sum(l => LineHeight(l.Font)) + 10;
            var x = Left + Width / 2;
            G.DrawRectangle(new XPen(XColors.Gray, 0.6), x, _y, Width / 2, height);
            var y = _y + 5;
            foreach (var (line, font) in lines)
            {
                G.DrawString(line, font, XBrushes.Black, new XRect(x + 6, y, Width / 2 - 12, LineHeight(font)), XStringFormats.TopLeft);
                y += LineHeight(font);
            }

            _y += height + 8;
            Paragraph("Contributi dovuti al CST per i servizi dell'anno tra enti pubblici: operazione fuori campo IVA "
                + "(trasferimento tra pubbliche amministrazioni, non un corrispettivo).", _text);
            if (doc.Payer.Members.Count > 1 || doc.Payer.Members.Any(m => !m.PaysItself))
            {
                Paragraph($"{P(doc.Payer.PayerName)} paga come capofila anche per gli enti associati elencati: ogni ente ha il suo subtotale.", _text);
            }

            _y += 4;
        }

        private void Ente(BilledStatement s)
        {
            var title = s.PaysItself
                ? $"Ente: {P(s.EnteName)} ({P(s.EnteId)})"
                : $"Ente associato: {P(s.EnteName)} ({P(s.EnteId)}), pagato dal capofila";
            Need(LineHeight(_heading) * 2 + 40);
            _y += 4;
            Paragraph(title, _heading);
            TableHeading();
            foreach (var l in s.Lines)
            {
                var service = $"{P(l.ServiceName)} — {P(l.ComponentName)}\n{Article(l.Section)} (listino {P(l.ListinoId)} {P(l.ListinoVersion)})";
                if (l.PreviouslyBilled is { } before)
                {
                    service += $"\nrettifica: già fatturato {Euro(before)}";
                }

                if (l.Note is { Length: > 0 } note)
                {
                    service += "\n" + P(note);
                }

                Row([LineObject.Describe(l) is var o ? P(o) : string.Empty, service,
                    $"{Date(l.PeriodStart)}\n{Date(l.PeriodEnd.PlusDays(-1))}",
                    l.Months is { } m ? m.ToString(CultureInfo.InvariantCulture) : "—",
                    l.Quantity.ToString("0.####", Italian), Euro(l.UnitPrice), Euro(l.Amount)], _small, shade: false);
            }

            var label = (doc.Payer.Members.Count > 1 ? "Subtotale " : "Totale ") + P(s.EnteName);
            Row([label, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, Euro(s.Total)], _smallBold, shade: true, span: 6);
        }

        private void Totals()
        {
            Need(40);
            _y += 8;
            Rule(1);
            _y += 4;
            var label = doc.Payer.Total.Euros < 0 ? "TOTALE A CREDITO" : "TOTALE DOVUTO";
            var amount = "EUR " + Euro(doc.Payer.Total);
            var width = G.MeasureString(amount, _title).Width;
            var lines = WrapText(G, $"{label} da {P(doc.Payer.PayerName)}", _title, Width - width - 12);
            var top = _y;
            foreach (var line in lines)
            {
                G.DrawString(line, _title, XBrushes.Black, new XRect(Left, _y, Width - width - 12, 16), XStringFormats.TopLeft);
                _y += LineHeight(_title);
            }

            G.DrawString(amount, _title, XBrushes.Black, new XRect(Right - width, top, width, 16), XStringFormats.TopLeft);
            _y += 4;
        }

        private void Payment()
        {
            var text = new StringBuilder();
            if (!doc.Issued)
            {
                Paragraph(doc.Watermark!.Length > 0 ? "Documento non valido ai fini del pagamento: " + doc.Watermark + "." : string.Empty, _text);
                return;
            }

            Need(90);
            _y += 6;
            Paragraph("Modalità di pagamento", _heading);
            if (doc.Payer.Total.Euros <= 0)
            {
                Paragraph(doc.Payer.Total.Euros < 0
                    ? $"Nulla da pagare: l'importo di EUR {Euro(-doc.Payer.Total)} è a credito dell'ente e sarà compensato."
                    : "Nulla da pagare.", _text);
                return;
            }

            Paragraph($"Da pagare entro il {Date(doc.DueDate!.Value)} ({doc.Issuer.PaymentTermsDays} giorni dalla data del documento).", _text);
            var bank = Has(doc.Issuer.Bank) ? $" ({doc.Issuer.Bank})" : string.Empty;
            Paragraph($"Bonifico a favore di {doc.Issuer.Body}, IBAN {doc.Issuer.IbanPrinted}{bank}.", _text);
            var cf = Has(doc.PayerCodiceFiscale) ? $", C.F. {P(doc.PayerCodiceFiscale)}" : string.Empty;
            Paragraph($"Causale: contributi CST anno {doc.Year}, rendiconto n. {doc.NumberText}, {P(doc.Payer.PayerName)}{cf}.", _text);
            if (Has(doc.Issuer.PagoPaEnteCreditore) && Has(doc.NoticeCode))
            {
                Paragraph($"In alternativa con pagoPA: codice avviso {doc.NoticeCode}, codice fiscale dell'ente creditore {doc.Issuer.PagoPaEnteCreditore}.", _text);
            }
        }

        private void Signature()
        {
            if (!Has(doc.Issuer.SignerRole))
            {
                return;
            }

            Need(50);
            _y += 18;
            foreach (var line in new[] { doc.Issuer.SignerRole, doc.Issuer.SignerName }.Where(Has))
            {
                foreach (var wrapped in WrapText(G, line!, _text, Width / 2))
                {
                    G.DrawString(wrapped, _text, XBrushes.Black, new XRect(Left + Width / 2, _y, Width / 2, 12), XStringFormats.TopCenter);
                    _y += LineHeight(_text);
                }
            }

            G.DrawString("(documento firmato digitalmente)", _small, XBrushes.Gray, new XRect(Left + Width / 2, _y, Width / 2, 10), XStringFormats.TopCenter);
            _y += LineHeight(_small);
        }

        private void TableHeading() => Row(Headings, _smallBold, shade: true, heading: true);

        /// <summary>One table row; each cell wraps within its column, the tallest sets the row's height.</summary>
        private void Row(IReadOnlyList<string> cells, XFont font, bool shade, bool heading = false, int span = 1)
        {
            var widths = Columns.ToArray();
            if (span > 1)
            {
                widths = [.. new[] { Columns.Take(span).Sum() }, .. Columns.Skip(span)];
                cells = [cells[0], .. cells.Skip(span)];
            }

            var aligned = span > 1 ? [false, .. RightAligned.Skip(span)] : RightAligned;
            var wrapped = cells.Select((c, i) => WrapText(G, c, font, widths[i] - 4)).ToList();
            var height = wrapped.Max(w => w.Count) * LineHeight(font) + 4;
            if (_y + height > Bottom)
            {
                NewPage();
                if (!heading)
                {
                    TableHeading();
                }
            }

            if (shade)
            {
                G.DrawRectangle(new XSolidBrush(XColor.FromArgb(235, 235, 235)), Left, _y, Width, height);
            }

            var x = Left;
            for (var i = 0; i < wrapped.Count; i++)
            {
                var y = _y + 2;
                foreach (var line in wrapped[i])
                {
                    G.DrawString(line, font, XBrushes.Black, new XRect(x + 2, y, widths[i] - 4, LineHeight(font)),
                        aligned[i] ? XStringFormats.TopRight : XStringFormats.TopLeft);
                    y += LineHeight(font);
                }

                x += widths[i];
            }

            _y += height;
            G.DrawLine(new XPen(XColors.LightGray, 0.4), Left, _y, Right, _y);
        }

        private void Paragraph(string text, XFont font)
        {
            foreach (var line in WrapText(G, text, font, Width))
            {
                Need(LineHeight(font));
                G.DrawString(line, font, XBrushes.Black, new XRect(Left, _y, Width, LineHeight(font)), XStringFormats.TopLeft);
                _y += LineHeight(font);
            }
        }

        private void Rule(double width) => G.DrawLine(new XPen(XColors.Black, width), Left, _y, Right, _y);

        private void Need(double height)
        {
            if (_y + height > Bottom)
            {
                NewPage();
            }
        }

        private static double LineHeight(XFont font) => font.Size * 1.25;
    }

    /// <summary>
    /// The text in lines no wider than <paramref name="width"/>: at line breaks, then between words, and a word wider
    /// than the column is split where it must be (an address or a code is shown whole, over two lines).
    /// </summary>
    internal static List<string> WrapText(XGraphics gfx, string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (gfx.MeasureString(candidate, font).Width <= width)
                {
                    line.Clear().Append(candidate);
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }

                var rest = word;
                while (gfx.MeasureString(rest, font).Width > width && rest.Length > 1)
                {
                    var take = rest.Length - 1;
                    while (take > 1 && gfx.MeasureString(rest[..take], font).Width > width)
                    {
                        take--;
                    }

                    lines.Add(rest[..take]);
                    rest = rest[take..];
                }

                line.Append(rest);
            }

            lines.Add(line.ToString());
        }

        return lines;
    }

    private static string Date(LocalDate date) => ItalianDate.Format(date);

    private static string Euro(Money amount) => amount.Euros.ToString("#,##0.00", Italian);

    /// <summary>Where the tariff comes from, as the listino names it: "Disciplinare ott. 2020, s.11 PEC e firma digitale".</summary>
    internal static string Article(string section) => string.IsNullOrWhiteSpace(section) ? "articolo non indicato" : P(section);

    private static bool Has(string? text) => !string.IsNullOrWhiteSpace(text);

    private static string P(string? text) => Guard.Printable(text);
}
