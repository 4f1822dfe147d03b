using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Domain.Validation;

/// <summary>
/// How values appear inside domain messages: ISO dates and invariant numbers, whatever the culture of the host,
/// because LocalDate.ToString() and decimal.ToString() follow the current culture.
/// </summary>
internal static class DomainText
{
    public static string Date(LocalDate date) => LocalDatePattern.Iso.Format(date);

    public static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>"1 digit", "5 digits": a count with its noun, singular or plural.</summary>
    public static string Count(int count, string singular, string plural) =>
        Number(count) + " " + (count == 1 ? singular : plural);

    /// <summary>A character as an operator can see it: printable ones quoted, a space named, others by code point.</summary>
    public static string Character(char c) =>
        c == ' ' ? "a space"
        : char.IsControl(c) || char.IsWhiteSpace(c)
            ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
            : "'" + c + "'";
}
