namespace Cst.Actors.Domain.Validation;

/// <summary>
/// The ISTAT code of a municipality: 6 digits, the province's 3 (028 = Padova) then the municipality's progressive
/// number within it (060), so Padova is 028060. Neither part is ever 000. The leading zeros are part of the code,
/// which is why it is text and never a number.
/// </summary>
public readonly record struct IstatCode
{
    public const int Length = 6;

    private readonly string? _value;

    private IstatCode(string value) => _value = value;

    /// <summary>The 6 digits; empty only for <c>default(IstatCode)</c>, which no parse returns.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The province part, the first 3 digits ("028").</summary>
    public string ProvinceCode => Value.Length == Length ? Value[..3] : string.Empty;

    /// <summary>The municipality's progressive number within its province, the last 3 digits ("060").</summary>
    public string MunicipalityNumber => Value.Length == Length ? Value[3..] : string.Empty;

    /// <summary>Parses <paramref name="text"/> or throws <see cref="InvalidIstatCodeException"/>.</summary>
    public static IstatCode Parse(string? text) => Validate(text).Value;

    public static bool TryParse(string? text, out IstatCode result) => Validate(text).TryGetValue(out result);

    /// <summary>Checks <paramref name="text"/> (surrounding blanks ignored) without throwing.</summary>
    public static ValidationResult<IstatCode> Validate(string? text)
    {
        var input = text?.Trim() ?? string.Empty;
        if (input.Length == 0)
        {
            return Fail(input, "ISTAT code is empty; it must be 6 digits", RefusalCode.IstatEmpty);
        }

        for (var i = 0; i < input.Length; i++)
        {
            if (!char.IsAsciiDigit(input[i]))
            {
                return Fail(input,
                    $"ISTAT code {input} must be 6 digits; it contains {DomainText.Character(input[i])} "
                    + $"at position {DomainText.Number(i + 1)}",
                    RefusalCode.IstatNotDigit, input, DomainText.Character(input[i]), DomainText.Number(i + 1));
            }
        }

        if (input.Length != Length)
        {
            // Spreadsheets read codes as numbers and drop leading zeros (028060 becomes 28060): say so.
            var hint = input.Length < Length ? " (a spreadsheet may have dropped its leading zeros)" : string.Empty;
            return Fail(input,
                $"ISTAT code {input} must be 6 digits; it has {DomainText.Number(input.Length)}{hint}",
                RefusalCode.IstatLength, input, DomainText.Number(input.Length));
        }

        if (input.StartsWith("000", StringComparison.Ordinal))
        {
            return Fail(input, $"ISTAT code {input} has province code 000, which no province has", RefusalCode.IstatProvinceZero, input);
        }

        if (input.EndsWith("000", StringComparison.Ordinal))
        {
            return Fail(input,
                $"ISTAT code {input} has municipality number 000; municipalities are numbered from 001 in each province",
                RefusalCode.IstatMunicipalityZero, input);
        }

        return ValidationResult<IstatCode>.ForValue(new IstatCode(input));
    }

    public override string ToString() => Value;

    private static ValidationResult<IstatCode> Fail(string input, string message, string code, params string[] args) =>
        ValidationResult<IstatCode>.ForError(new InvalidIstatCodeException(input, message) { Code = code, Args = args });
}
