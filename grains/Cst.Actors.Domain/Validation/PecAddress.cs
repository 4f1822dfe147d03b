namespace Cst.Actors.Domain.Validation;

/// <summary>
/// The address of a PEC mailbox, checked for syntax only: local part, one @, a domain with at least one dot.
/// Whether the domain belongs to a certified provider (the AgID list of gestori) is not known here and is not
/// guessed. The canonical form is lower case: PEC providers treat addresses case-insensitively, and the address
/// is a grain key, so "Protocollo@PEC.Comune.Padova.it" and its lower-case form must be the same mailbox.
/// Only plain ASCII is accepted: PEC providers do not offer accented (internationalised) addresses.
/// </summary>
public readonly record struct PecAddress
{
    /// <summary>The longest address SMTP can carry in a path (RFC 5321: 256 octets including the angle brackets).</summary>
    public const int MaxLength = 254;

    public const int MaxLocalPartLength = 64;

    public const int MaxLabelLength = 63;

    // RFC 5322 "atext" besides letters and digits; quoted local parts are not accepted by any PEC provider.
    private const string LocalPartSymbols = "!#$%&'*+/=?^_`{|}~-.";

    private readonly string? _value;

    private PecAddress(string value) => _value = value;

    /// <summary>The canonical (lower-case) address; empty only for <c>default(PecAddress)</c>.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The mailbox name, before the @.</summary>
    public string LocalPart => Value[..Math.Max(Value.IndexOf('@'), 0)];

    /// <summary>The domain, after the @.</summary>
    public string Domain => Value[(Value.IndexOf('@') + 1)..];

    /// <summary>Parses <paramref name="text"/> or throws <see cref="InvalidPecAddressException"/>.</summary>
    public static PecAddress Parse(string? text) => Validate(text).Value;

    public static bool TryParse(string? text, out PecAddress result) => Validate(text).TryGetValue(out result);

    /// <summary>Checks <paramref name="text"/> (surrounding blanks ignored) without throwing.</summary>
    public static ValidationResult<PecAddress> Validate(string? text)
    {
        var input = text?.Trim() ?? string.Empty;
        if (input.Length == 0)
        {
            return Fail(input, "PEC address is empty");
        }

        foreach (var c in input)
        {
            if (char.IsWhiteSpace(c))
            {
                return Fail(input, $"PEC address \"{input}\" contains a space; an address has none");
            }

            if (char.IsControl(c))
            {
                return Fail(input, $"PEC address \"{input}\" contains the control character {DomainText.Character(c)}");
            }

            if (!char.IsAscii(c))
            {
                return Fail(input,
                    $"PEC address \"{input}\" contains {DomainText.Character(c)}; "
                    + "only unaccented letters, digits and a few symbols are allowed");
            }
        }

        if (input.Length > MaxLength)
        {
            return Fail(input,
                $"PEC address \"{input}\" is {DomainText.Number(input.Length)} characters long; "
                + $"at most {DomainText.Number(MaxLength)} are allowed");
        }

        var at = input.IndexOf('@');
        if (at < 0)
        {
            return Fail(input, $"PEC address \"{input}\" has no @ between the mailbox name and the domain");
        }

        if (input.IndexOf('@', at + 1) >= 0)
        {
            return Fail(input, $"PEC address \"{input}\" contains more than one @");
        }

        if (input.Contains("..", StringComparison.Ordinal))
        {
            return Fail(input, $"PEC address \"{input}\" contains two consecutive dots");
        }

        var local = input[..at];
        var domain = input[(at + 1)..];

        var localProblem = LocalPartProblem(local);
        if (localProblem is not null)
        {
            return Fail(input, $"PEC address \"{input}\" {localProblem}");
        }

        var domainProblem = DomainProblem(domain);
        if (domainProblem is not null)
        {
            return Fail(input, $"PEC address \"{input}\" {domainProblem}");
        }

        return ValidationResult<PecAddress>.ForValue(new PecAddress(input.ToLowerInvariant()));
    }

    public override string ToString() => Value;

    private static string? LocalPartProblem(string local)
    {
        if (local.Length == 0)
        {
            return "has no mailbox name before the @";
        }

        if (local.Length > MaxLocalPartLength)
        {
            return $"has a mailbox name of {DomainText.Number(local.Length)} characters; "
                + $"at most {DomainText.Number(MaxLocalPartLength)} are allowed before the @";
        }

        foreach (var c in local)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !LocalPartSymbols.Contains(c, StringComparison.Ordinal))
            {
                return $"contains {DomainText.Character(c)} before the @, which a mailbox name cannot contain";
            }
        }

        if (local[0] == '.' || local[^1] == '.')
        {
            return "has a mailbox name that starts or ends with a dot";
        }

        return null;
    }

    private static string? DomainProblem(string domain)
    {
        if (domain.Length == 0)
        {
            return "has no domain after the @";
        }

        if (!domain.Contains('.', StringComparison.Ordinal))
        {
            return $"has the domain {domain} without a dot; a PEC domain looks like pec.comune.padova.it";
        }

        if (domain[0] == '.' || domain[^1] == '.')
        {
            return $"has the domain {domain}, which starts or ends with a dot";
        }

        var labels = domain.Split('.');
        foreach (var label in labels)
        {
            if (label.Length > MaxLabelLength)
            {
                return $"has the domain part {label} of {DomainText.Number(label.Length)} characters; "
                    + $"at most {DomainText.Number(MaxLabelLength)} are allowed between dots";
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return $"contains {DomainText.Character(c)} in the domain, which has only letters, digits, hyphens and dots";
                }
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                return $"has the domain part {label}, which starts or ends with a hyphen";
            }
        }

        // A top-level domain is letters only (it, com, eu): this also refuses bare IP addresses.
        var topLevel = labels[^1];
        if (topLevel.Length < 2 || !topLevel.All(char.IsAsciiLetter))
        {
            return $"ends in .{topLevel}, which is not a top-level domain";
        }

        return null;
    }

    private static ValidationResult<PecAddress> Fail(string input, string message) =>
        ValidationResult<PecAddress>.ForError(new InvalidPecAddressException(input, message));
}
