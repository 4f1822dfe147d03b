using NodaTime;

namespace Cst.Actors.Domain.Deadlines;

/// <summary>
/// A renewal of a firma device asked for on a day it is not accepted: on or after the expiry date (a new device is
/// needed), or before the certificates it would renew were issued.
/// </summary>
public sealed class RenewalNotAllowedException : DomainException
{
    public RenewalNotAllowedException(string serial, LocalDate requestedOn, LocalDate validFrom, LocalDate expiresOn,
        string message)
        : base(message)
    {
        Serial = serial;
        RequestedOn = requestedOn;
        ValidFrom = validFrom;
        ExpiresOn = expiresOn;
    }

    public string Serial { get; }

    /// <summary>The day the renewal was asked for.</summary>
    public LocalDate RequestedOn { get; }

    /// <summary>The issue or last renewal date of the certificates in use.</summary>
    public LocalDate ValidFrom { get; }

    /// <summary>The first day those certificates are no longer valid.</summary>
    public LocalDate ExpiresOn { get; }
}
