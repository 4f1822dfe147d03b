namespace Cst.Actors.Domain.Lifecycle;

/// <summary>Where a subscribed service (mailbox, hosted service) stands on a given day. Stored values are explicit.</summary>
public enum ServiceStatus
{
    /// <summary>Asked for, not active yet (no activation date, or an activation date still ahead).</summary>
    Requested = 1,

    /// <summary>Active and renewing by itself every 1 January.</summary>
    Active = 2,

    /// <summary>Active, with a disdetta received: it ceases on the effect date.</summary>
    DisdettaReceived = 3,

    /// <summary>No longer active: the effect date of the disdetta, the cessation or the ente's withdrawal is past.</summary>
    Ceased = 4,
}
