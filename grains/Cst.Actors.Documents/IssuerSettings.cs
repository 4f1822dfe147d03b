using System.Globalization;
using System.Numerics;
using Cst.Actors.Domain.Validation;

namespace Cst.Actors.Documents;

/// <summary>
/// Who issues the statements and how they are paid: configuration section <c>Issuer</c> of the silo
/// (<c>appsettings.json</c>, <c>CST_Issuer__Iban</c>, <c>--Issuer:Iban=...</c>; see README "Statements as documents").
/// A statement PDF prints these as they are when it is rendered; the due date of a final statement is fixed when its
/// revision is closed (<see cref="PaymentTermsDays"/> after the closing day) and kept with its number.
/// </summary>
public sealed class IssuerSettings
{
    public const string Section = "Issuer";

    /// <summary>The body that issues the statements, as it signs: "Provincia di Padova".</summary>
    public string Body { get; set; } = string.Empty;

    /// <summary>The office within it: "Centro Servizi Territoriali (CST)".</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The issuer's codice fiscale (11 digits for a public body).</summary>
    public string CodiceFiscale { get; set; } = string.Empty;

    /// <summary>Postal address on one line: "Piazza Antenore 3, 35121 Padova (PD)".</summary>
    public string Address { get; set; } = string.Empty;

    /// <summary>The PEC address statements are sent from and replies go to.</summary>
    public string Pec { get; set; } = string.Empty;

    /// <summary>The IBAN of the treasury account payments go to.</summary>
    public string Iban { get; set; } = string.Empty;

    /// <summary>Who holds the account (the treasurer bank), printed beside the IBAN; optional.</summary>
    public string? Bank { get; set; }

    /// <summary>Days from the day a final revision is closed (the issue date) to the due date.</summary>
    public int PaymentTermsDays { get; set; } = 30;

    /// <summary>
    /// The PagoPA code of the issuer as <i>ente creditore</i> (its codice fiscale, as a rule); optional. With it, a
    /// statement for which accounting recorded a notice code (table <c>statement_payment</c>) shows how to pay it on
    /// PagoPA.
    /// </summary>
    public string? PagoPaEnteCreditore { get; set; }

    /// <summary>Who signs: "Il Dirigente del Settore Sistemi Informativi".</summary>
    public string SignerRole { get; set; } = string.Empty;

    /// <summary>The full name of the signer, printed under the role; optional.</summary>
    public string? SignerName { get; set; }

    /// <summary>The issuer's heading: "Provincia di Padova — Centro Servizi Territoriali (CST)".</summary>
    public string Heading => string.Join(" — ", new[] { Body, Name }.Where(s => !string.IsNullOrWhiteSpace(s)));

    /// <summary>
    /// What is missing or malformed, one plain sentence each naming the key and value; empty when a final statement can
    /// be issued with these settings.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Required(string key, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{Section}:{key} is not set");
            }
            else if (value.Any(Guard.IsUnsafe))
            {
                problems.Add($"{Section}:{key} holds a control or bidi character");
            }
        }

        Required(nameof(Body), Body);
        Required(nameof(CodiceFiscale), CodiceFiscale);
        Required(nameof(Address), Address);
        Required(nameof(Pec), Pec);
        Required(nameof(Iban), Iban);
        Required(nameof(SignerRole), SignerRole);
        if (!string.IsNullOrWhiteSpace(CodiceFiscale) && !IsCodiceFiscaleOfBody(CodiceFiscale))
        {
            problems.Add($"{Section}:CodiceFiscale '{CodiceFiscale}' is not the 11 digits of a public body's codice fiscale");
        }

        if (!string.IsNullOrWhiteSpace(Iban) && !IsIban(Iban))
        {
            problems.Add($"{Section}:Iban '{Iban}' is not a valid IBAN (country, check digits and account, e.g. IT60X0542811101000000123456)");
        }

        if (!string.IsNullOrWhiteSpace(Pec) && !PecAddress.Validate(Pec).Success)
        {
            problems.Add($"{Section}:Pec '{Pec}' is not an e-mail address");
        }

        if (PaymentTermsDays is < 0 or > 365)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:PaymentTermsDays {PaymentTermsDays} is not between 0 and 365"));
        }

        return problems;
    }

    /// <summary>The IBAN grouped by four characters, as printed: "IT60 X054 2811 1010 0000 0123 456".</summary>
    public string IbanPrinted => string.Join(' ', Compact(Iban).Chunk(4).Select(c => new string(c)));

    /// <summary>An IBAN's check (ISO 13616, mod 97 = 1) on the compacted upper-case text.</summary>
    public static bool IsIban(string text)
    {
        var iban = Compact(text);
        if (iban.Length is < 15 or > 34 || !iban.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiLetter(iban[0])
            || !char.IsAsciiLetter(iban[1]) || !char.IsAsciiDigit(iban[2]) || !char.IsAsciiDigit(iban[3]))
        {
            return false;
        }

        var digits = string.Concat((iban[4..] + iban[..4]).Select(c =>
            char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString(CultureInfo.InvariantCulture)));
        return BigInteger.Parse(digits, CultureInfo.InvariantCulture) % 97 == 1;
    }

    private static bool IsCodiceFiscaleOfBody(string text) => text.Trim().Length == 11 && text.Trim().All(char.IsAsciiDigit);

    private static string Compact(string? text) => new([.. (text ?? string.Empty).Where(c => !char.IsWhiteSpace(c)).Select(char.ToUpperInvariant)]);
}
