using System.Globalization;
using System.Text;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Cst.Actors.Domain.Validation;

namespace Cst.Actors.Domain.Billing;

/// <summary>
/// The files of a billing run: per-ente statement lines and run totals as CSV for Excel in an Italian locale
/// (<c>;</c> separator, decimal comma, dates dd/mm/yyyy, UTF-8 with BOM: see <see cref="ToFileBytes"/>), the same as
/// JSON for programs (invariant numbers with a point, ISO dates, UTF-8 without BOM), and a readable statement per
/// payer in plain text, in Italian, that the CST can send as it is.
/// In CSV and text the period is shown with its last day (<c>dal</c>/<c>al</c>, both inclusive); JSON keeps the
/// half-open period of the engine (<c>periodStart</c>, <c>periodEndExclusive</c>).
/// </summary>
public static class BillingExport
{
    public const char Separator = ';';

    /// <summary>The columns of the statements CSV, one row per line.</summary>
    public static readonly IReadOnlyList<string> StatementColumns =
    [
        "anno", "tipo", "revisione", "ente", "nome_ente", "pagatore", "nome_pagatore", "riga", "chiave_riga",
        "servizio", "nome_servizio", "componente", "nome_componente", "sottoscrizione", "dal", "al", "mesi",
        "quantita", "prezzo_unitario", "importo", "gia_fatturato", "listino", "versione_listino", "articolo", "nota",
    ];

    /// <summary>The columns of the totals CSV: one row per service, per listino version, and the grand total.</summary>
    public static readonly IReadOnlyList<string> TotalColumns =
        ["anno", "tipo", "revisione", "voce", "chiave", "descrizione", "enti", "righe", "importo"];

    private static readonly CultureInfo Italian = CultureInfo.GetCultureInfo("it-IT");
    private static readonly LocalDatePattern ItalianDate = LocalDatePattern.CreateWithInvariantCulture("dd/MM/yyyy");

    /// <summary>What the file holds as bytes: UTF-8, with the BOM that makes Excel read a CSV as UTF-8.</summary>
    public static byte[] ToFileBytes(string content, bool byteOrderMark)
    {
        ArgumentNullException.ThrowIfNull(content);
        var body = Encoding.UTF8.GetBytes(content);
        return byteOrderMark ? [.. Encoding.UTF8.Preamble, .. body] : body;
    }

    /// <summary>One CSV row per statement line, statements in the given order.</summary>
    public static string StatementsCsv(IEnumerable<BilledStatement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var csv = new StringBuilder();
        Row(csv, StatementColumns);
        foreach (var s in statements)
        {
            foreach (var l in s.Lines)
            {
                Row(csv,
                [
                    Int(s.Year), Mode(s.Mode), Int(s.Revision), s.EnteId, s.EnteName, s.PayerId, s.PayerName, Int(l.LineNo),
                    l.LineKey, l.ServiceId, l.ServiceName, l.ComponentId, l.ComponentName, l.SubscriptionId ?? string.Empty,
                    ItalianDate.Format(l.PeriodStart), ItalianDate.Format(l.PeriodEnd.PlusDays(-1)),
                    l.Months is { } m ? Int(m) : string.Empty, Number(l.Quantity), Amount(l.UnitPrice), Amount(l.Amount),
                    l.PreviouslyBilled is { } p ? Amount(p) : string.Empty, l.ListinoId, l.ListinoVersion, l.Section,
                    l.Note ?? string.Empty,
                ]);
            }
        }

        return csv.ToString();
    }

    /// <summary>The run totals as CSV: voce is "servizio", "versione_listino" or "totale".</summary>
    public static string TotalsCsv(RunTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var csv = new StringBuilder();
        Row(csv, TotalColumns);
        var head = new[] { Int(totals.Year), Mode(totals.Mode), Int(totals.Revision) };
        foreach (var r in totals.ByService)
        {
            Row(csv, [.. head, "servizio", r.Key, r.Name, string.Empty, Int(r.Lines), Amount(r.Amount)]);
        }

        foreach (var r in totals.ByListinoVersion)
        {
            Row(csv, [.. head, "versione_listino", r.Key, r.Name, string.Empty, Int(r.Lines), Amount(r.Amount)]);
        }

        Row(csv, [.. head, "totale", string.Empty, "Totale generale", Int(totals.Enti), Int(totals.Lines), Amount(totals.GrandTotal)]);
        return csv.ToString();
    }

    /// <summary>The run as one JSON document: totals, then the statements with their lines.</summary>
    public static string Json(RunTotals totals, IEnumerable<BilledStatement> statements)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(statements);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("year", totals.Year);
            json.WriteString("mode", Mode(totals.Mode));
            json.WriteNumber("revision", totals.Revision);
            json.WriteStartObject("totals");
            json.WriteNumber("grandTotal", totals.GrandTotal.Euros);
            json.WriteNumber("enti", totals.Enti);
            json.WriteNumber("lines", totals.Lines);
            TotalRows(json, "byService", totals.ByService);
            TotalRows(json, "byListinoVersion", totals.ByListinoVersion);
            json.WriteEndObject();
            json.WriteStartArray("statements");
            foreach (var s in statements)
            {
                json.WriteStartObject();
                json.WriteString("ente", s.EnteId);
                json.WriteString("enteName", s.EnteName);
                json.WriteString("payer", s.PayerId);
                json.WriteString("payerName", s.PayerName);
                json.WriteNumber("total", s.Total.Euros);
                json.WriteStartArray("lines");
                foreach (var l in s.Lines)
                {
                    json.WriteStartObject();
                    json.WriteNumber("lineNo", l.LineNo);
                    json.WriteString("lineKey", l.LineKey);
                    json.WriteString("service", l.ServiceId);
                    json.WriteString("serviceName", l.ServiceName);
                    json.WriteString("component", l.ComponentId);
                    json.WriteString("componentName", l.ComponentName);
                    json.WriteString("subscription", l.SubscriptionId);
                    json.WriteString("periodStart", LocalDatePattern.Iso.Format(l.PeriodStart));
                    json.WriteString("periodEndExclusive", LocalDatePattern.Iso.Format(l.PeriodEnd));
                    if (l.Months is { } m)
                    {
                        json.WriteNumber("months", m);
                    }
                    else
                    {
                        json.WriteNull("months");
                    }

                    json.WriteNumber("quantity", l.Quantity);
                    json.WriteNumber("unitPrice", l.UnitPrice.Euros);
                    json.WriteNumber("amount", l.Amount.Euros);
                    if (l.PreviouslyBilled is { } p)
                    {
                        json.WriteNumber("previouslyBilled", p.Euros);
                    }

                    json.WriteString("listino", l.ListinoId);
                    json.WriteString("listinoVersion", l.ListinoVersion);
                    json.WriteString("section", l.Section);
                    json.WriteString("note", l.Note);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The readable statement of one payer (<i>rendiconto dei contributi</i>): each ente it pays for with its lines and
    /// subtotal, then the amount due. Lines are at most 110 characters wide.
    /// </summary>
    public static string Text(PayerStatement payer, int year, BillingRunMode mode, int revision, LocalDate issuedOn)
    {
        ArgumentNullException.ThrowIfNull(payer);
        var t = new StringBuilder();
        var title = mode == BillingRunMode.Preview
            ? $"PREVISIONE dei contributi per l'anno {year} (stima su quanto registrato al {ItalianDate.Format(issuedOn)})"
            : revision > 1
                ? $"Rendiconto dei contributi - anno {year} - revisione {revision} (solo rettifiche)"
                : $"Rendiconto dei contributi - anno {year}";
        t.AppendLine(title);
        t.AppendLine($"Intestato a: {P(payer.PayerName)} ({P(payer.PayerId)})");
        t.AppendLine($"Emesso il {ItalianDate.Format(issuedOn)}. Contributi tra enti pubblici: operazione fuori campo IVA.");
        foreach (var s in payer.Members)
        {
            t.AppendLine();
            t.AppendLine(s.PaysItself ? $"Ente: {P(s.EnteName)} ({P(s.EnteId)})" : $"Ente associato: {P(s.EnteName)} ({P(s.EnteId)}), pagato dal capofila");
            t.AppendLine(new string('-', 110));
            t.AppendLine($"{"Servizio / componente",-46} {"Periodo",-23} {"Mesi",4} {"Quantità",9} {"Prezzo",11} {"Importo",12}");
            t.AppendLine(new string('-', 110));
            foreach (var l in s.Lines)
            {
                // A long service name wraps within its column: the first line carries the figures.
                var what = Wrap(P($"{l.ServiceName} - {l.ComponentName}"), 46).ToList();
                var period = $"{ItalianDate.Format(l.PeriodStart)}-{ItalianDate.Format(l.PeriodEnd.PlusDays(-1))}";
                var months = l.Months is { } m ? Int(m) : string.Empty;
                t.AppendLine($"{what[0],-46} {period,-23} {months,4} {Number(l.Quantity),9} {Euro(l.UnitPrice),11} {Euro(l.Amount),12}");
                foreach (var more in what.Skip(1))
                {
                    t.AppendLine(more);
                }

                if (l.SubscriptionId is { Length: > 0 } subscription)
                {
                    foreach (var detail in Wrap(P("per " + ObjectOf(subscription)), 106))
                    {
                        t.AppendLine("    " + detail);
                    }
                }
                foreach (var detail in Wrap(P($"listino {l.ListinoId} {l.ListinoVersion}, art. {l.Section}"
                    + (l.Note is { Length: > 0 } n ? "; " + n : string.Empty)), 106))
                {
                    t.AppendLine("    " + detail);
                }
            }

            t.AppendLine(new string('-', 110));
            var total = Wrap("Totale " + P(s.EnteName), 97).ToList();
            foreach (var head in total.SkipLast(1))
            {
                t.AppendLine(head);
            }

            t.AppendLine($"{total[^1],-97} {Euro(s.Total),12}");
        }

        t.AppendLine();
        var due = Wrap("TOTALE DOVUTO da " + P(payer.PayerName), 97).ToList();
        foreach (var head in due.SkipLast(1))
        {
            t.AppendLine(head);
        }

        t.AppendLine($"{due[^1],-97} {Euro(payer.Total),12}");
        return t.ToString();
    }

    /// <summary>The file name of a payer's text statement: rendiconto-2025-r1-028060.txt.</summary>
    public static string TextFileName(string payerId, int year, BillingRunMode mode, int revision)
    {
        ArgumentNullException.ThrowIfNull(payerId);
        var safe = new string([.. payerId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        return mode == BillingRunMode.Preview ? $"previsione-{year}-{safe}.txt" : $"rendiconto-{year}-r{revision}-{safe}.txt";
    }

    /// <summary>Reads back a CSV file written here (RFC 4180 quoting, ';' separator, without the BOM): rows of fields.</summary>
    public static List<List<string>> ParseCsv(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ';')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                row.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                rows.Add(row);
                row = [];
            }
            else
            {
                field.Append(c);
            }
        }

        return rows;
    }

    public static string Mode(BillingRunMode mode) => mode == BillingRunMode.Preview ? "preview" : "final";

    private static void TotalRows(Utf8JsonWriter json, string name, IEnumerable<TotalRow> rows)
    {
        json.WriteStartArray(name);
        foreach (var r in rows)
        {
            json.WriteStartObject();
            json.WriteString("key", r.Key);
            json.WriteString("name", r.Name);
            json.WriteNumber("lines", r.Lines);
            json.WriteNumber("amount", r.Amount.Euros);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>One CSV row of the exports (<c>;</c>, quoted where needed, formulas neutralised), ended by CRLF.</summary>
    internal static void Row(StringBuilder csv, IEnumerable<string> fields)
    {
        var first = true;
        foreach (var raw in fields)
        {
            // Old data may hold a formula or an escape; the cell is written as text (see Guard.CsvCell).
            var field = Guard.CsvCell(raw);
            if (!first)
            {
                csv.Append(Separator);
            }

            first = false;
            if (field.IndexOfAny([Separator, '"', '\n', '\r']) >= 0)
            {
                csv.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                csv.Append(field);
            }
        }

        csv.Append("\r\n");
    }

    /// <summary>Stored text made safe for a terminal: old data may hold escape sequences (see <see cref="Guard.Printable"/>).</summary>
    private static string P(string? text) => Guard.Printable(text);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Decimal comma, no thousands separator (Excel reads "1234,50" as a number in an Italian locale).</summary>
    internal static string Amount(Money amount) => amount.Euros.ToString("0.00", Italian);

    private static string Number(decimal value) => value.ToString("0.####", Italian);

    private static string Euro(Money amount) => amount.Euros.ToString("#,##0.00", Italian);

    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }

            // A word longer than the width (an address, a code) is split over lines, never cut.
            var rest = word;
            while (line.Length == 0 && rest.Length > width)
            {
                yield return rest[..width];
                rest = rest[width..];
            }

            line.Append(line.Length > 0 ? " " : string.Empty).Append(rest);
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    /// <summary>
    /// What a line is for, from its subscription key: a mailbox by address (address#tier when its tier changed), a
    /// custom-domain pack, a hosted service ente/service/label, otherwise a firma device by serial.
    /// </summary>
    public static string ObjectOf(string? subscriptionId)
    {
        if (string.IsNullOrEmpty(subscriptionId))
        {
            return "ente (quota associativa)";
        }

        var key = subscriptionId.Split('#')[0];
        if (key.StartsWith("pack:", StringComparison.Ordinal))
        {
            return "pacchetto PEC " + key["pack:".Length..];
        }

        if (key.Contains('@', StringComparison.Ordinal))
        {
            return "casella PEC " + key;
        }

        var parts = key.Split('/');
        return parts.Length == 3 ? $"servizio {parts[1]} \"{parts[2]}\"" : "dispositivo di firma " + key;
    }
}
