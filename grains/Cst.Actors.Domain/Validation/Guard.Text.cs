using System.Globalization;
using System.Text;

namespace Cst.Actors.Domain.Validation;

/// <summary>
/// Bounds and cleanliness of text that enters the domain. Every text is one line of at most a documented length
/// (a 50 MB name once grew the directory state past what the cluster can send), with no control character (ESC
/// starts terminal escape sequences, CR/LF would split a line, NUL is refused by PostgreSQL) and no bidi override or
/// isolate (U+202E shows "gpj.exe" as "exe.jpg"). Old data may still hold such characters: <see cref="Printable"/>
/// and <see cref="CsvCell"/> neutralise them on the way out.
/// </summary>
public static partial class Guard
{
    /// <summary>Names of enti, services, holders of devices, referenti.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The evidence of a disdetta, the act of an adhesion (protocol number and date, a short note).</summary>
    public const int MaxEvidenceLength = 500;

    /// <summary>Labels, serials, identifiers of consumption records, listino and variant ids.</summary>
    public const int MaxLabelLength = 64;

    /// <summary>E-mail and PEC addresses (RFC 5321 limits a path to 254 characters).</summary>
    public const int MaxAddressLength = 254;

    /// <summary>A text of at most <paramref name="maxLength"/> characters with no control or bidi character.</summary>
    public static string Text(string? value, string field, int maxLength) => ValidateText(value, field, maxLength).Value;

    public static ValidationResult<string> ValidateText(string? value, string field, int maxLength)
    {
        Named(field);
        if (value is null)
        {
            return ValidationResult<string>.ForValue(string.Empty);
        }

        if (value.Length > maxLength)
        {
            return ValidationResult<string>.ForError(new OutOfRangeException(field, Shorten(value),
                $"{field} is {DomainText.Number(value.Length)} characters long; at most {DomainText.Number(maxLength)} are allowed"));
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (IsUnsafe(value[i]))
            {
                return ValidationResult<string>.ForError(new OutOfRangeException(field, Shorten(value),
                    $"{field} holds the character {Code(value[i])} at position {DomainText.Number(i + 1)}; "
                    + "control, line-break and text-direction characters are not allowed"));
            }
        }

        return ValidationResult<string>.ForValue(value);
    }

    /// <summary>C0 and C1 controls, DEL, and the bidi embeddings, overrides and isolates.</summary>
    public static bool IsUnsafe(char c) =>
        c < '\u0020' || (c >= '\u007F' && c <= '\u009F') || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');

    /// <summary>
    /// The text with every unsafe character (see <see cref="IsUnsafe"/>) replaced by '?', so that stored text never
    /// moves a terminal's cursor, clears its screen or reverses what follows.
    /// </summary>
    public static string Printable(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(IsUnsafe))
        {
            return text ?? string.Empty;
        }

        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            clean.Append(IsUnsafe(c) ? '?' : c);
        }

        return clean.ToString();
    }

    /// <summary>
    /// A CSV cell that a spreadsheet reads as text: one starting with '=', '+', '-' or '@' would be evaluated as a
    /// formula (=HYPERLINK(...)), so it gets a leading apostrophe, as spreadsheets expect; a plain number such as
    /// "-50,00" stays a number. Unsafe characters are replaced as in <see cref="Printable"/>.
    /// </summary>
    public static string CsvCell(string? text)
    {
        var cell = Printable(text);
        return cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' && !IsPlainNumber(cell) ? "'" + cell : cell;
    }

    private static bool IsPlainNumber(string cell) =>
        decimal.TryParse(cell, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _)
        || decimal.TryParse(cell, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.GetCultureInfo("it-IT"), out _);

    private static string Code(char c) => "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

    private static string Shorten(string value) => Printable(value.Length > 40 ? value[..40] + "..." : value);
}
