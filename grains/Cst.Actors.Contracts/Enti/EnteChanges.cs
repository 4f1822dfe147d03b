using System.Collections.Immutable;
using Cst.Actors.Domain.Validation;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Contracts.Enti;

/// <summary>One field of an ente's identity that an edit or an import changes: <c>name 'X' → 'Y'</c>.</summary>
public sealed record FieldChange(string Field, string? Before, string? After)
{
    public override string ToString() => $"{Field} {Quote(Before)} → {Quote(After)}";

    /// <summary>The field with its old value, for the audit row's "before": <c>name 'X'</c>.</summary>
    public string BeforeText => $"{Field} {Quote(Before)}";

    /// <summary>The field with its new value, for the audit row's "after": <c>name 'Y'</c>.</summary>
    public string AfterText => $"{Field} {Quote(After)}";

    private static string Quote(string? value) => value is null ? "(none)" : $"'{value}'";
}

/// <summary>
/// What changes between two registrations of the same ente, field by field, written once for the grain (which
/// refuses an edit that changes nothing and audits the fields), the console (whose confirmation shows them) and the
/// importer (whose report says <c>updated: name 'X' → 'Y'</c>).
/// </summary>
public static class EnteChanges
{
    /// <summary>
    /// The registration as the ente grain stores it: text trimmed, blanks as null, the referente's PEC address in its
    /// lower-case form. Values that do not parse are left as typed (the grain refuses them).
    /// </summary>
    public static EnteRegistration Normalize(EnteRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var pec = Blank(registration.ReferentePec);
        if (pec is not null && PecAddress.TryParse(pec, out var parsed))
        {
            pec = parsed.Value;
        }

        return registration with
        {
            Name = registration.Name?.Trim() ?? string.Empty,
            IstatCode = Blank(registration.IstatCode),
            CodiceFiscale = Blank(registration.CodiceFiscale),
            ListinoId = registration.ListinoId?.Trim() ?? string.Empty,
            ReferentePec = pec,
            ReferenteEmail = Blank(registration.ReferenteEmail),
            ReferenteName = Blank(registration.ReferenteName),
        };
    }

    /// <summary>The fields that differ from <paramref name="before"/> to <paramref name="after"/> (both normalised first), in form order.</summary>
    public static ImmutableList<FieldChange> Between(EnteRegistration before, EnteRegistration after)
    {
        var b = Normalize(before);
        var a = Normalize(after);
        var changes = ImmutableList.CreateBuilder<FieldChange>();
        Add("name", b.Name, a.Name);
        Add("kind", b.Kind.ToString(), a.Kind.ToString());
        Add("ISTAT code", b.IstatCode, a.IstatCode);
        Add("codice fiscale", b.CodiceFiscale, a.CodiceFiscale);
        Add("adhered on", Iso(b.AdheredOn), Iso(a.AdheredOn));
        Add("listino", b.ListinoId, a.ListinoId);
        Add("referente", b.ReferenteName, a.ReferenteName);
        Add("referente PEC", b.ReferentePec, a.ReferentePec);
        Add("referente e-mail", b.ReferenteEmail, a.ReferenteEmail);
        return changes.ToImmutable();

        void Add(string field, string? x, string? y)
        {
            if (!string.Equals(x, y, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(field, x, y));
            }
        }
    }

    /// <summary>The changes in one line: <c>name 'X' → 'Y', referente (none) → 'Ufficio CED'</c>.</summary>
    public static string Describe(IEnumerable<FieldChange> changes) => string.Join(", ", changes);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
