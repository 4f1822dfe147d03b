using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Pricing;

namespace Cst.Actors.Domain.Billing;

/// <summary>One ente's preview statement of the year under the listino in force and under the proposed one.</summary>
public sealed record EnteImpact(string EnteId, string Name, Money Current, Money Proposed)
{
    public Money Difference => Proposed - Current;

    /// <summary>The difference as a percentage of the current total, rounded to two decimals; null when the current total is zero.</summary>
    public decimal? Percent => Current.Euros == 0m ? null : decimal.Round(Difference.Euros * 100m / Current.Euros, 2, MidpointRounding.AwayFromZero);
}

/// <summary>One service's total over every ente, current and proposed.</summary>
public sealed record ServiceImpact(string ServiceId, string Name, Money Current, Money Proposed)
{
    public Money Difference => Proposed - Current;
}

/// <summary>An ente that could not be previewed (e.g. no population ever recorded), with the reason.</summary>
public sealed record ImpactFailure(string EnteId, string Name, string Reason);

/// <summary>
/// What a proposed listino version would cost every ente in a year: each ente's preview statement (the billing
/// preview's rule, <see cref="PreviewProjection"/>) under the listino in force and under the listino with the proposal
/// adopted, side by side, by ente, by service and in total. Computed by the pricing core only; nothing is written.
/// </summary>
public sealed record ListinoImpact(
    string ListinoId,
    string Version,
    int Year,
    ImmutableList<EnteImpact> Enti,
    ImmutableList<ServiceImpact> ByService,
    ImmutableList<ImpactFailure> Failures)
{
    private static readonly CultureInfo Italian = CultureInfo.GetCultureInfo("it-IT");

    public Money Current => Money.Sum(Enti.Select(e => e.Current));

    public Money Proposed => Money.Sum(Enti.Select(e => e.Proposed));

    public Money Difference => Proposed - Current;

    /// <summary>
    /// The impact over <paramref name="enti"/> (id, name, billing history); enti billed on another listino are left
    /// out. <paramref name="proposed"/> is the same listino with the proposed version adopted.
    /// </summary>
    public static ListinoImpact Compute(
        Listino current, Listino proposed, string version, int year, IEnumerable<(string EnteId, string Name, EnteHistory History)> enti)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(proposed);
        ArgumentNullException.ThrowIfNull(enti);
        var rows = new List<EnteImpact>();
        var failures = new List<ImpactFailure>();
        var services = new Dictionary<string, (string Name, Money Current, Money Proposed)>(StringComparer.Ordinal);
        foreach (var (enteId, name, history) in enti.OrderBy(e => e.EnteId, StringComparer.Ordinal))
        {
            if (history.ListinoId != current.Id)
            {
                continue;
            }

            Statement before;
            Statement after;
            try
            {
                before = PreviewProjection.Compute(current, history, year);
                after = PreviewProjection.Compute(proposed, history, year);
            }
            catch (DomainException e)
            {
                failures.Add(new ImpactFailure(enteId, name, e.Message));
                continue;
            }

            rows.Add(new EnteImpact(enteId, name, before.Total, after.Total));
            foreach (var line in before.Lines)
            {
                (string Name, Money Current, Money Proposed) s = services.TryGetValue(line.ServiceId, out var held) ? held : (line.ServiceName, Money.Zero, Money.Zero);
                services[line.ServiceId] = (s.Name, s.Current + line.Amount, s.Proposed);
            }

            foreach (var line in after.Lines)
            {
                (string Name, Money Current, Money Proposed) s = services.TryGetValue(line.ServiceId, out var held) ? held : (line.ServiceName, Money.Zero, Money.Zero);
                services[line.ServiceId] = (s.Name, s.Current, s.Proposed + line.Amount);
            }
        }

        return new ListinoImpact(current.Id, version, year, [.. rows],
            [.. services.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new ServiceImpact(s.Key, s.Value.Name, s.Value.Current, s.Value.Proposed))],
            [.. failures]);
    }

    /// <summary>
    /// CSV for Excel in an Italian locale (as the billing exports: <c>;</c>, decimal comma): one row per ente
    /// (voce "ente"), per service ("servizio") and the total ("totale").
    /// </summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        Row(csv, ["voce", "chiave", "descrizione", "attuale", "proposto", "differenza", "percentuale"]);
        foreach (var e in Enti)
        {
            Row(csv, ["ente", e.EnteId, e.Name, Amount(e.Current), Amount(e.Proposed), Amount(e.Difference),
                e.Percent is { } p ? p.ToString("0.00", Italian) : string.Empty]);
        }

        foreach (var s in ByService)
        {
            Row(csv, ["servizio", s.ServiceId, s.Name, Amount(s.Current), Amount(s.Proposed), Amount(s.Difference), string.Empty]);
        }

        Row(csv, ["totale", ListinoId + " " + Version, string.Create(CultureInfo.InvariantCulture, $"Anno {Year}, {Enti.Count} enti"),
            Amount(Current), Amount(Proposed), Amount(Difference), string.Empty]);
        return csv.ToString();
    }

    /// <summary>The impact as JSON (invariant numbers): totals, by service, by ente, and the enti not previewed.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("listino", ListinoId);
            json.WriteString("version", Version);
            json.WriteNumber("year", Year);
            json.WriteNumber("current", Current.Euros);
            json.WriteNumber("proposed", Proposed.Euros);
            json.WriteNumber("difference", Difference.Euros);
            json.WriteStartArray("byService");
            foreach (var s in ByService)
            {
                json.WriteStartObject();
                json.WriteString("service", s.ServiceId);
                json.WriteString("name", s.Name);
                json.WriteNumber("current", s.Current.Euros);
                json.WriteNumber("proposed", s.Proposed.Euros);
                json.WriteNumber("difference", s.Difference.Euros);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("enti");
            foreach (var e in Enti)
            {
                json.WriteStartObject();
                json.WriteString("ente", e.EnteId);
                json.WriteString("name", e.Name);
                json.WriteNumber("current", e.Current.Euros);
                json.WriteNumber("proposed", e.Proposed.Euros);
                json.WriteNumber("difference", e.Difference.Euros);
                if (e.Percent is { } p)
                {
                    json.WriteNumber("percent", p);
                }
                else
                {
                    json.WriteNull("percent");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("notPreviewed");
            foreach (var f in Failures)
            {
                json.WriteStartObject();
                json.WriteString("ente", f.EnteId);
                json.WriteString("name", f.Name);
                json.WriteString("reason", f.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Amount(Money money) => BillingExport.Amount(money);

    // The billing exports' CSV row: the same quoting, and names that look like formulas written as text.
    private static void Row(StringBuilder csv, IEnumerable<string> fields) => BillingExport.Row(csv, fields);
}
