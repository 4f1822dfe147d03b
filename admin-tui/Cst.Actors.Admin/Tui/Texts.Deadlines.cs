using System.Globalization;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Domain.Deadlines;
using NodaTime;

namespace Cst.Actors.Admin.Tui;

/// <summary>
/// What a deadline means, as known in the client: its kind, the object it concerns, the day it falls due and, for a
/// cessation, the disdetta behind it. <paramref name="Object"/> null: inferred from the kind and the key.
/// </summary>
public sealed record DeadlineFacts(DeadlineKind Kind, ChildKind? Object, string Key, LocalDate Due, LocalDate? DisdettaOn = null, string? Evidence = null)
{
    /// <summary>A device's deadlines are the certificate's; a key with an address is a mailbox; otherwise a service.</summary>
    public ChildKind ObjectKind => Object ?? (Kind is DeadlineKind.ExpiryWarning90Days or DeadlineKind.ExpiryWarning30Days
        or DeadlineKind.ExpiryWarning7Days or DeadlineKind.LastRenewalDay or DeadlineKind.Expiry
        ? ChildKind.FirmaDevice
        : Key.Contains('@', StringComparison.Ordinal) ? ChildKind.PecMailbox : ChildKind.HostedService);

    /// <summary>The day the certificates expire, for a device's deadline (the warnings fall 90, 30, 7 days before).</summary>
    public LocalDate Expiry => Kind switch
    {
        DeadlineKind.ExpiryWarning90Days => Due.PlusDays(90),
        DeadlineKind.ExpiryWarning30Days => Due.PlusDays(30),
        DeadlineKind.ExpiryWarning7Days => Due.PlusDays(7),
        DeadlineKind.LastRenewalDay => Due.PlusDays(1),
        _ => Due,
    };

    /// <summary>The 31 December by which a disdetta stops the renewal (that of the deadline's year).</summary>
    public LocalDate DisdettaBy => new(Due.Year, 12, 31);
}

public sealed partial class Texts
{
    /// <summary>A deadline kind in at most 7 letters, so "31/12/2026 termine" fits the 18 columns of the ente screen.</summary>
    public required IReadOnlyDictionary<DeadlineKind, string> KindsShort { get; init; }

    /// <summary>A deadline in plain words (the i view): what happens to which object, on which day, and why.</summary>
    public required Func<Texts, DeadlineFacts, string> DeadlineSentence { get; init; }

    public string KindShort(DeadlineKind? kind) => kind is { } k ? KindsShort.GetValueOrDefault(k, Word(k)) : string.Empty;

    public string Describe(DeadlineFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return DeadlineSentence(this, facts);
    }

    // Properties, not fields: the languages are static fields of other files, initialised in no guaranteed order.
    private static Dictionary<DeadlineKind, string> ItalianKindsShort => new()
    {
        [DeadlineKind.DisdettaWarning] = "avviso",
        [DeadlineKind.DisdettaDeadline] = "termine",
        [DeadlineKind.Renewal] = "rinnovo",
        [DeadlineKind.Cessation] = "cessa",
        [DeadlineKind.ExpiryWarning90Days] = "avviso",
        [DeadlineKind.ExpiryWarning30Days] = "avviso",
        [DeadlineKind.ExpiryWarning7Days] = "avviso",
        [DeadlineKind.LastRenewalDay] = "ultimo",
        [DeadlineKind.Expiry] = "scade",
    };

    // Properties, not fields: the languages are static fields of other files, initialised in no guaranteed order.
    private static Dictionary<DeadlineKind, string> EnglishKindsShort => new()
    {
        [DeadlineKind.DisdettaWarning] = "notice",
        [DeadlineKind.DisdettaDeadline] = "cut-off",
        [DeadlineKind.Renewal] = "renews",
        [DeadlineKind.Cessation] = "ends",
        [DeadlineKind.ExpiryWarning90Days] = "notice",
        [DeadlineKind.ExpiryWarning30Days] = "notice",
        [DeadlineKind.ExpiryWarning7Days] = "notice",
        [DeadlineKind.LastRenewalDay] = "last",
        [DeadlineKind.Expiry] = "expires",
    };

    private static string ItalianDeadline(Texts t, DeadlineFacts f)
    {
        var (subject, of) = f.ObjectKind switch
        {
            ChildKind.PecMailbox => ($"La casella PEC {f.Key}", $"della casella PEC {f.Key}"),
            ChildKind.FirmaDevice => ($"Il dispositivo di firma {f.Key}", $"del dispositivo di firma {f.Key}"),
            _ => ($"Il servizio {f.Key}", $"del servizio {f.Key}"),
        };
        var next = (f.Due.Year + 1).ToString(CultureInfo.InvariantCulture);
        var why = f.DisdettaOn is { } on
            ? $" per la disdetta ricevuta il {t.Date(on)}" + (f.Evidence is { Length: > 0 } e ? $" ({e})" : string.Empty)
            : f.Evidence is { Length: > 0 } ev ? $" per la disdetta ({ev})" : string.Empty;
        return f.Kind switch
        {
            DeadlineKind.DisdettaWarning => $"Si avvicina il termine per la disdetta {of}: entro il {t.Date(f.DisdettaBy)}, altrimenti si rinnova per il {next}.",
            DeadlineKind.DisdettaDeadline => $"Termine per la disdetta {of}: entro il {t.Date(f.Due)}, altrimenti si rinnova per il {next}.",
            DeadlineKind.Renewal => $"{subject} si rinnova il {t.Date(f.Due)} per tutto il {f.Due.Year.ToString(CultureInfo.InvariantCulture)}.",
            DeadlineKind.Cessation => $"{subject} cessa il {t.Date(f.Due)}{why}: da quel giorno non si fattura più.",
            DeadlineKind.ExpiryWarning90Days or DeadlineKind.ExpiryWarning30Days or DeadlineKind.ExpiryWarning7Days =>
                $"I certificati {of} scadono il {t.Date(f.Expiry)}: rinnovarli entro il {t.Date(f.Expiry.PlusDays(-1))}.",
            DeadlineKind.LastRenewalDay => $"Ultimo giorno per rinnovare i certificati {of}: {t.Date(f.Due)}; scadono il {t.Date(f.Expiry)}.",
            DeadlineKind.Expiry => $"I certificati {of} scadono il {t.Date(f.Due)}.",
            _ => $"{subject}: {t.Word(f.Kind)} il {t.Date(f.Due)}.",
        };
    }

    private static string EnglishDeadline(Texts t, DeadlineFacts f)
    {
        var subject = f.ObjectKind switch
        {
            ChildKind.PecMailbox => $"PEC mailbox {f.Key}",
            ChildKind.FirmaDevice => $"firma device {f.Key}",
            _ => $"service {f.Key}",
        };
        var next = (f.Due.Year + 1).ToString(CultureInfo.InvariantCulture);
        var why = f.DisdettaOn is { } on
            ? $" after the disdetta received on {t.Date(on)}" + (f.Evidence is { Length: > 0 } e ? $" ({e})" : string.Empty)
            : f.Evidence is { Length: > 0 } ev ? $" after the disdetta ({ev})" : string.Empty;
        return f.Kind switch
        {
            DeadlineKind.DisdettaWarning => $"The disdetta deadline of {subject} is near: by {t.Date(f.DisdettaBy)}, otherwise it renews for {next}.",
            DeadlineKind.DisdettaDeadline => $"Disdetta deadline of {subject}: by {t.Date(f.Due)}, otherwise it renews for {next}.",
            DeadlineKind.Renewal => $"The {subject} renews on {t.Date(f.Due)} for the whole of {f.Due.Year.ToString(CultureInfo.InvariantCulture)}.",
            DeadlineKind.Cessation => $"The {subject} ends on {t.Date(f.Due)}{why}: from that day it is neither active nor billed.",
            DeadlineKind.ExpiryWarning90Days or DeadlineKind.ExpiryWarning30Days or DeadlineKind.ExpiryWarning7Days =>
                $"The certificates of {subject} expire on {t.Date(f.Expiry)}: renew them by {t.Date(f.Expiry.PlusDays(-1))}.",
            DeadlineKind.LastRenewalDay => $"Last day to renew the certificates of {subject}: {t.Date(f.Due)}; they expire on {t.Date(f.Expiry)}.",
            DeadlineKind.Expiry => $"The certificates of {subject} expire on {t.Date(f.Due)}.",
            _ => $"{subject}: {t.Word(f.Kind)} on {t.Date(f.Due)}.",
        };
    }
}
