using NodaTime;

namespace Cst.Actors.Domain.Deadlines;

/// <summary>Anything with deadlines: an annual subscription, a firma device.</summary>
public interface IDeadlineSchedule
{
    /// <summary>
    /// The deadlines due in the half-open window (<paramref name="after"/>, <paramref name="upTo"/>]: later than
    /// <paramref name="after"/>, up to and including <paramref name="upTo"/>, ordered by <see cref="DeadlineWindow.Order"/>.
    /// Consecutive windows (a, b], (b, c] therefore list every deadline exactly once, which is what a grain relies on
    /// to catch up from the last day it handled to today. Pure: the same arguments give the same list.
    /// </summary>
    IReadOnlyList<Deadline> DueIn(LocalDate after, LocalDate upTo);
}
