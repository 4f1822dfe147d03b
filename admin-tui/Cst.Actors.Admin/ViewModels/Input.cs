using System.Globalization;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Domain.Validation;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Admin.ViewModels;

/// <summary>
/// Parsing of what the operator types. Only the form of a value is checked here (a date, a number); whether it makes
/// sense for the ente or object is the grains' business, and their refusals come back as plain messages.
/// </summary>
public static class Input
{
    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;
    private static readonly LocalDatePattern Italian = LocalDatePattern.CreateWithInvariantCulture("dd/MM/yyyy");

    /// <summary>
    /// A text the operator must give: at most <paramref name="maxLength"/> characters (the grains apply each field's
    /// own limit, docs/import-format.md), with no control or text-direction character (pasted escapes, line breaks).
    /// </summary>
    public static string Required(string value, string field, int maxLength = Guard.MaxEvidenceLength) =>
        string.IsNullOrWhiteSpace(value) ? throw new InputException($"{field} is required.") : Clean(value.Trim(), field, maxLength);

    public static string? Optional(string value, string field = "The value", int maxLength = Guard.MaxEvidenceLength) =>
        string.IsNullOrWhiteSpace(value) ? null : Clean(value.Trim(), field, maxLength);

    /// <summary>A date as 2026-12-31 or 31/12/2026.</summary>
    public static LocalDate Date(string value, string field)
    {
        var text = Required(value, field);
        var iso = Iso.Parse(text);
        if (iso.Success)
        {
            return iso.Value;
        }

        var italian = Italian.Parse(text);
        return italian.Success
            ? italian.Value
            : throw new InputException($"{field} must be a date such as 2026-12-31 or 31/12/2026, not '{text}'.");
    }

    public static int Integer(string value, string field, int min, int max)
    {
        var text = Required(value, field);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new InputException($"{field} must be a whole number from {min} to {max}, not '{text}'.");
    }

    public static int Year(string value, string field = "Year") => Integer(value, field, 2000, 2100);

    /// <summary>
    /// A non-negative amount up to <paramref name="max"/> (the domain's limit on quantities and prices), with a point
    /// or a comma as decimal separator. A number too large for the limit, or for any number (1e+30), is called so.
    /// </summary>
    public static decimal Decimal(string value, string field, decimal max = Guard.MaxQuantity)
    {
        var text = Required(value, field).Replace(',', '.');
        if (decimal.TryParse(text, NumberStyles.Number & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var d) && d >= 0)
        {
            return d <= max
                ? d
                : throw new InputException($"{field} is too large: at most {max.ToString("#,##0.##", CultureInfo.InvariantCulture)}, not '{value.Trim()}'.");
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var huge) && huge > (double)max
            ? throw new InputException($"{field} is too large: at most {max.ToString("#,##0.##", CultureInfo.InvariantCulture)}, not '{value.Trim()}'.")
            : throw new InputException($"{field} must be a number not below 0 (e.g. 12.5), not '{value.Trim()}'.");
    }

    public static TEnum Choice<TEnum>(string value, string field)
        where TEnum : struct, Enum
    {
        var text = Required(value, field);
        return Enum.TryParse<TEnum>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(text, out _)
            ? parsed
            : throw new InputException($"{field} must be one of {string.Join(", ", Enum.GetNames<TEnum>())}, not '{text}'.");
    }

    private static string Clean(string text, string field, int maxLength) =>
        Guard.ValidateText(text, field, maxLength) is { Success: false } bad ? throw new InputException(bad.ErrorMessage + ".") : text;

    public static string Date(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The time of day of an instant in Rome, hh:mm:ss (when a run stopped moving, when the cluster stopped answering).</summary>
    public static string Time(NodaTime.Instant instant) =>
        instant.InZone(NodaTime.DateTimeZoneProviders.Tzdb["Europe/Rome"]).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Euro(Domain.Money money) => money.Euros.ToString("#,##0.00", CultureInfo.InvariantCulture);
}
