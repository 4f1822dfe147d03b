using Cst.Actors.Domain.Validation;

namespace Cst.Actors.Domain.Enti;

/// <summary>
/// The rule that gives every ente one stable key (its grain key, the <c>ente</c> column of notices): a municipality is
/// keyed by its 6-digit ISTAT code, any other body by its 11-digit codice fiscale. The two never collide (6 digits
/// against 11), both are printed on every act of the body, and neither changes when the body renames itself.
/// A municipality may also record its codice fiscale (it is then checked); a body other than a municipality has no
/// ISTAT municipality code, so giving one is refused rather than silently ignored.
/// </summary>
public static class EnteKey
{
    /// <summary>The key, or the reason there is none, without throwing.</summary>
    public static ValidationResult<string> Validate(EnteKind kind, string? istatCode, string? codiceFiscale)
    {
        if (!Enum.IsDefined(kind))
        {
            return ValidationResult<string>.ForError(new OutOfRangeException("kind of ente",
                ((int)kind).ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"kind of ente {(int)kind} is unknown; it must be one of {string.Join(", ", Enum.GetNames<EnteKind>())}"));
        }

        var hasIstat = !string.IsNullOrWhiteSpace(istatCode);
        var hasCf = !string.IsNullOrWhiteSpace(codiceFiscale);
        ValidationResult<CodiceFiscaleEnte>? cf = hasCf ? CodiceFiscaleEnte.Validate(codiceFiscale) : null;
        if (cf is { Success: false })
        {
            return ValidationResult<string>.ForError(cf.Error!);
        }

        if (kind == EnteKind.Comune)
        {
            if (!hasIstat)
            {
                return ValidationResult<string>.ForError(new OutOfRangeException("ISTAT code", string.Empty,
                    "a Comune is identified by its ISTAT code, and none was given"));
            }

            return IstatCode.Validate(istatCode).Map(code => code.Value);
        }

        if (hasIstat)
        {
            return ValidationResult<string>.ForError(new OutOfRangeException("ISTAT code", istatCode!.Trim(),
                $"ISTAT code {istatCode.Trim()} was given for a body of kind {kind}; only a Comune has an ISTAT "
                + "municipality code, other bodies are identified by their codice fiscale"));
        }

        if (cf is null)
        {
            return ValidationResult<string>.ForError(new OutOfRangeException("codice fiscale", string.Empty,
                $"a body of kind {kind} is identified by its codice fiscale, and none was given"));
        }

        return ValidationResult<string>.ForValue(cf.Value.Value);
    }

    /// <summary>The key, or throws the domain error that says why there is none.</summary>
    public static string For(EnteKind kind, string? istatCode, string? codiceFiscale) =>
        Validate(kind, istatCode, codiceFiscale).Value;
}
