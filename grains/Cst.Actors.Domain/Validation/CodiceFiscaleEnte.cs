namespace Cst.Actors.Domain.Validation;

/// <summary>
/// The codice fiscale of a public body: 11 digits, the last a check digit, built like a partita IVA.
/// Persons have a 16-character alphanumeric codice fiscale instead; an ente never does, so one is refused with
/// a message that says so. The check digit is computed on the first 10 digits: digits in odd positions (1st, 3rd,
/// ...) are added as they are, digits in even positions are doubled and reduced by 9 when the double exceeds 9,
/// and the check digit is (10 - sum mod 10) mod 10.
/// </summary>
public readonly record struct CodiceFiscaleEnte
{
    public const int Length = 11;

    private readonly string? _value;

    private CodiceFiscaleEnte(string value) => _value = value;

    /// <summary>The 11 digits; empty only for <c>default(CodiceFiscaleEnte)</c>, which no parse returns.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Parses <paramref name="text"/> or throws <see cref="InvalidCodiceFiscaleException"/>.</summary>
    public static CodiceFiscaleEnte Parse(string? text) => Validate(text).Value;

    public static bool TryParse(string? text, out CodiceFiscaleEnte result) => Validate(text).TryGetValue(out result);

    /// <summary>Checks <paramref name="text"/> (surrounding blanks ignored) without throwing.</summary>
    public static ValidationResult<CodiceFiscaleEnte> Validate(string? text)
    {
        var input = text?.Trim() ?? string.Empty;
        if (input.Length == 0)
        {
            return Fail(input, "codice fiscale is empty; an ente's codice fiscale has 11 digits", RefusalCode.CfEmpty);
        }

        if (LooksPersonal(input))
        {
            return Fail(input,
                $"codice fiscale {input} is a person's codice fiscale (16 letters and digits); "
                + "an ente has an 11-digit numeric codice fiscale", RefusalCode.CfPersonal, input);
        }

        if (input.Length == Length + 2
            && input.StartsWith("IT", StringComparison.OrdinalIgnoreCase)
            && AllDigits(input.AsSpan(2)))
        {
            return Fail(input,
                $"codice fiscale {input} carries the VAT country prefix {input[..2]}; write the 11 digits without it",
                RefusalCode.CfVatPrefix, input, input[..2]);
        }

        for (var i = 0; i < input.Length; i++)
        {
            var c = input[i];
            if (char.IsAsciiDigit(c))
            {
                continue;
            }

            var kind = char.IsWhiteSpace(c) ? "space" : char.IsLetter(c) ? "letter" : "character";
            var what = char.IsWhiteSpace(c) ? "a space"
                : char.IsLetter(c) ? $"the letter {DomainText.Character(c)}"
                : $"the character {DomainText.Character(c)}";
            return Fail(input,
                $"codice fiscale {input} contains {what} at position {DomainText.Number(i + 1)}; "
                + "an ente's codice fiscale has digits only",
                RefusalCode.CfNotDigit, input, kind, DomainText.Character(c), DomainText.Number(i + 1));
        }

        if (input.Length != Length)
        {
            return Fail(input,
                $"codice fiscale {input} has {DomainText.Count(input.Length, "digit", "digits")}; it must have exactly {Length}",
                RefusalCode.CfLength, input, DomainText.Number(input.Length));
        }

        if (input.AsSpan().IndexOfAnyExcept('0') < 0)
        {
            return Fail(input, $"codice fiscale {input} is all zeros, a placeholder rather than a real codice fiscale", RefusalCode.CfZeros, input);
        }

        var expected = ComputeCheckDigit(input.AsSpan(0, Length - 1));
        var actual = input[Length - 1] - '0';
        if (actual != expected)
        {
            return Fail(input,
                $"codice fiscale {input} has check digit {DomainText.Number(actual)} "
                + $"where {DomainText.Number(expected)} was expected",
                RefusalCode.CfCheckDigit, input, DomainText.Number(actual), DomainText.Number(expected));
        }

        return ValidationResult<CodiceFiscaleEnte>.ForValue(new CodiceFiscaleEnte(input));
    }

    /// <summary>The check digit for the first 10 digits of a codice fiscale (or partita IVA).</summary>
    public static int ComputeCheckDigit(ReadOnlySpan<char> firstTenDigits)
    {
        if (firstTenDigits.Length != Length - 1 || !AllDigits(firstTenDigits))
        {
            throw new ArgumentException("The check digit is computed on exactly 10 digits.", nameof(firstTenDigits));
        }

        var sum = 0;
        for (var i = 0; i < firstTenDigits.Length; i++)
        {
            var digit = firstTenDigits[i] - '0';

            // i is zero-based, so odd i is an even (1-based) position: those digits are doubled.
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return (10 - (sum % 10)) % 10;
    }

    public override string ToString() => Value;

    // A person's codice fiscale is 16 characters, letters and digits mixed (RSSMRA80A01G224K).
    private static bool LooksPersonal(string input) =>
        input.Length == 16
        && input.All(char.IsAsciiLetterOrDigit)
        && input.Any(char.IsAsciiLetter);

    // char.IsDigit would also accept other scripts' digits (Arabic-Indic, full-width): only 0-9 count here.
    private static bool AllDigits(ReadOnlySpan<char> text) => !text.IsEmpty && text.IndexOfAnyExceptInRange('0', '9') < 0;

    private static ValidationResult<CodiceFiscaleEnte> Fail(string input, string message, string code, params string[] args) =>
        ValidationResult<CodiceFiscaleEnte>.ForError(new InvalidCodiceFiscaleException(input, message) { Code = code, Args = args });
}
