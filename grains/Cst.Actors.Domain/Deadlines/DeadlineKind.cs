namespace Cst.Actors.Domain.Deadlines;

/// <summary>
/// What falls due. The order of the members is the order of deadlines due on the same day. Stored values are
/// explicit because grains persist which deadlines they have handled.
/// </summary>
public enum DeadlineKind
{
    /// <summary>Annual service: the disdetta deadline is near (DisdettaRule.WarningLeadDays before it).</summary>
    DisdettaWarning = 1,

    /// <summary>Annual service: 31 December, the last day a disdetta stops the renewal into the next year.</summary>
    DisdettaDeadline = 2,

    /// <summary>Annual service: 1 January, the service renews by itself for the whole year.</summary>
    Renewal = 3,

    /// <summary>Annual service: the first day it is no longer active (after a disdetta or a withdrawal).</summary>
    Cessation = 4,

    /// <summary>Firma device: certificates expire in 90 days.</summary>
    ExpiryWarning90Days = 5,

    /// <summary>Firma device: certificates expire in 30 days.</summary>
    ExpiryWarning30Days = 6,

    /// <summary>Firma device: certificates expire in 7 days.</summary>
    ExpiryWarning7Days = 7,

    /// <summary>Firma device: the day before expiry, the last day a renewal is accepted.</summary>
    LastRenewalDay = 8,

    /// <summary>Firma device: the certificates have expired; the device can no longer be renewed.</summary>
    Expiry = 9,
}
