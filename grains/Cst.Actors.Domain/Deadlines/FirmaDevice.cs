using Cst.Actors.Domain.Validation;
using NodaTime;

namespace Cst.Actors.Domain.Deadlines;

/// <summary>
/// A BusinessKey or firma remota with its issue date and its renewals, and the deadlines that follow
/// (<see cref="FirmaCertificateRule"/>): three warnings, the last renewal day and the expiry, for every period of
/// validity. A renewal replaces the period it renews: the deadlines of that period due on or after the renewal date
/// are dropped, having become moot, and the new period's deadlines follow. Immutable: <see cref="Renew"/> returns a
/// new value.
/// </summary>
public sealed class FirmaDevice : IDeadlineSchedule
{
    private readonly LocalDate[] _renewals;

    /// <summary>
    /// Checks each renewal against the period it renews, in order, and throws
    /// <see cref="RenewalNotAllowedException"/> for the first one that was not allowed.
    /// </summary>
    public FirmaDevice(string serial, FirmaDeviceKind kind, LocalDate issuedOn, IEnumerable<LocalDate>? renewedOn = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serial);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown firma device kind.");
        }

        Serial = serial;
        Kind = kind;
        IssuedOn = Guard.Date(issuedOn, $"issue date of device {serial}");
        _renewals = renewedOn?.ToArray() ?? [];
        var anchor = issuedOn;
        var renewed = false;
        foreach (var renewal in _renewals)
        {
            var error = RenewalError(serial, anchor, renewed, renewal);
            if (error is not null)
            {
                throw error;
            }

            anchor = renewal;
            renewed = true;
        }

        ValidFrom = anchor;
    }

    public string Serial { get; }

    public FirmaDeviceKind Kind { get; }

    public LocalDate IssuedOn { get; }

    /// <summary>The renewal dates, oldest first.</summary>
    public IReadOnlyList<LocalDate> RenewedOn => _renewals;

    /// <summary>The anchor of the certificates in use: the last renewal, or the issue date.</summary>
    public LocalDate ValidFrom { get; }

    /// <summary>The first day the certificates in use are no longer valid.</summary>
    public LocalDate ExpiresOn => FirmaCertificateRule.ExpiresOn(ValidFrom);

    /// <summary>The last day a renewal is accepted: the day before <see cref="ExpiresOn"/>.</summary>
    public LocalDate LastRenewalDay => FirmaCertificateRule.LastRenewalDay(ValidFrom);

    /// <summary>Whether the device can sign on <paramref name="date"/>: from issue included to expiry excluded.</summary>
    public bool IsValidOn(LocalDate date) => date >= IssuedOn && date < ExpiresOn;

    /// <summary>Expired from the expiry date on; a new device is then needed.</summary>
    public bool IsExpiredOn(LocalDate date) => date >= ExpiresOn;

    /// <summary>Whether a renewal on <paramref name="on"/> would be accepted.</summary>
    public bool CanRenewOn(LocalDate on) => RenewalError(Serial, ValidFrom, _renewals.Length > 0, on) is null;

    /// <summary>The device renewed on <paramref name="on"/>, or the reason it cannot be, without throwing.</summary>
    public ValidationResult<FirmaDevice> TryRenew(LocalDate on)
    {
        var error = RenewalError(Serial, ValidFrom, _renewals.Length > 0, on);
        return error is null
            ? ValidationResult<FirmaDevice>.ForValue(new FirmaDevice(Serial, Kind, IssuedOn, [.. _renewals, on]))
            : ValidationResult<FirmaDevice>.ForError(error);
    }

    /// <summary>
    /// The device renewed on <paramref name="on"/>, valid 3 years from that day; throws
    /// <see cref="RenewalNotAllowedException"/> on or after the expiry date.
    /// </summary>
    public FirmaDevice Renew(LocalDate on) => TryRenew(on).Value;

    /// <inheritdoc />
    public IReadOnlyList<Deadline> DueIn(LocalDate after, LocalDate upTo)
    {
        DeadlineWindow.Check(after, upTo);
        var result = new List<Deadline>();
        var anchor = IssuedOn;
        for (var i = 0; i <= _renewals.Length; i++)
        {
            // A period's deadlines stop at the renewal that replaced it.
            LocalDate? replacedOn = i < _renewals.Length ? _renewals[i] : null;
            foreach (var deadline in PeriodDeadlines(anchor))
            {
                if ((replacedOn is not { } r || deadline.Due < r) && DeadlineWindow.Contains(after, upTo, deadline.Due))
                {
                    result.Add(deadline);
                }
            }

            if (replacedOn is { } next)
            {
                anchor = next;
            }
        }

        result.Sort(DeadlineWindow.Order);
        return result;
    }

    /// <summary>
    /// The deadlines of the certificates in use from <paramref name="today"/> included up to the expiry:
    /// the warnings not yet past, the last renewal day, the expiry. Empty once the expiry date is past.
    /// </summary>
    public IReadOnlyList<Deadline> Upcoming(LocalDate today)
    {
        var after = today.PlusDays(-1);
        return after >= ExpiresOn ? [] : DueIn(after, ExpiresOn);
    }

    public override string ToString() =>
        $"{Name(Kind, Serial)} issued {DomainText.Date(IssuedOn)}, expires {DomainText.Date(ExpiresOn)}";

    private IEnumerable<Deadline> PeriodDeadlines(LocalDate anchor)
    {
        var name = Name(Kind, Serial);
        var expiry = FirmaCertificateRule.ExpiresOn(anchor);
        var expiryText = DomainText.Date(expiry);
        var lastDay = DomainText.Date(FirmaCertificateRule.LastRenewalDay(anchor));
        foreach (var (kind, due) in FirmaCertificateRule.Warnings(anchor))
        {
            var days = Period.DaysBetween(due, expiry);
            yield return new Deadline(kind, due, name,
                $"{name}: certificates expire on {expiryText}, in {DomainText.Number(days)} days; renew by {lastDay}");
        }

        yield return new Deadline(DeadlineKind.LastRenewalDay, FirmaCertificateRule.LastRenewalDay(anchor), name,
            $"{name}: last day to renew; the certificates expire tomorrow, {expiryText}");
        yield return new Deadline(DeadlineKind.Expiry, expiry, name,
            $"{name}: certificates expired on {expiryText}; the device can no longer be renewed, a new one is needed");
    }

    private static string Name(FirmaDeviceKind kind, string serial) =>
        kind == FirmaDeviceKind.FirmaRemota ? $"firma remota {serial}" : $"BusinessKey {serial}";

    private static RenewalNotAllowedException? RenewalError(string serial, LocalDate anchor, bool renewed, LocalDate on)
    {
        if (FirmaCertificateRule.IsRenewalAllowed(anchor, on))
        {
            return null;
        }

        var expiry = FirmaCertificateRule.ExpiresOn(anchor);
        var message = on >= expiry
            ? $"device {serial} expired on {DomainText.Date(expiry)}; a renewal on {DomainText.Date(on)} "
                + "is no longer allowed (a new device is needed)"
            : $"device {serial} was {(renewed ? "last renewed" : "issued")} on {DomainText.Date(anchor)}; "
                + $"a renewal on {DomainText.Date(on)} cannot precede it";
        return new RenewalNotAllowedException(serial, on, anchor, expiry, message);
    }
}
