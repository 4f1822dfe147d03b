using Cst.Actors.Domain.Validation;
using NodaTime;

namespace Cst.Actors.Domain.Deadlines;

/// <summary>
/// Queries over windows of deadlines, for one schedule or many (an ente's mailboxes, devices and services).
/// A window is half-open, (after, upTo]: a deadline due exactly on a boundary belongs to the window that ends there.
/// </summary>
public static class DeadlineWindow
{
    /// <summary>By due date, then kind, then subject (ordinal): a total, culture-independent order.</summary>
    public static IComparer<Deadline> Order { get; } = Comparer<Deadline>.Create(static (x, y) =>
    {
        var byDate = x.Due.CompareTo(y.Due);
        if (byDate != 0)
        {
            return byDate;
        }

        var byKind = x.Kind.CompareTo(y.Kind);
        return byKind != 0 ? byKind : string.CompareOrdinal(x.Subject, y.Subject);
    });

    /// <summary>Whether <paramref name="date"/> lies in (<paramref name="after"/>, <paramref name="upTo"/>].</summary>
    public static bool Contains(LocalDate after, LocalDate upTo, LocalDate date) => date > after && date <= upTo;

    /// <summary>
    /// Refuses a window whose end precedes its start; an empty window (after == upTo) is allowed and lists nothing.
    /// </summary>
    public static void Check(LocalDate after, LocalDate upTo)
    {
        if (upTo < after)
        {
            throw new OutOfRangeException("end of the deadline window", DomainText.Date(upTo),
                $"end of the deadline window is {DomainText.Date(upTo)}; "
                + $"it cannot be before its start {DomainText.Date(after)}");
        }
    }

    /// <summary>The deadlines of all <paramref name="schedules"/> due in (after, upTo], merged in <see cref="Order"/>.</summary>
    public static IReadOnlyList<Deadline> DueIn(IEnumerable<IDeadlineSchedule> schedules, LocalDate after, LocalDate upTo)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        Check(after, upTo);
        var all = new List<Deadline>();
        foreach (var schedule in schedules)
        {
            all.AddRange(schedule.DueIn(after, upTo));
        }

        all.Sort(Order);
        return all;
    }

    /// <summary>
    /// The first deadline due after <paramref name="after"/> (strictly), or null when none remains up to
    /// <see cref="Guard.LatestDate"/>: what a grain arms its next reminder for.
    /// </summary>
    public static Deadline? Next(IDeadlineSchedule schedule, LocalDate after)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return Next([schedule], after);
    }

    /// <summary>The first deadline of any of <paramref name="schedules"/> due after <paramref name="after"/>, or null.</summary>
    public static Deadline? Next(IEnumerable<IDeadlineSchedule> schedules, LocalDate after)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        var list = schedules as IReadOnlyCollection<IDeadlineSchedule> ?? schedules.ToList();
        if (after >= Guard.LatestDate)
        {
            return null;
        }

        // Every active schedule has a deadline at least once a year, so a short window nearly always answers;
        // the long one is only for schedules whose last deadline is far away.
        var nearEnd = after.PlusYears(2) < Guard.LatestDate ? after.PlusYears(2) : Guard.LatestDate;
        var near = DueIn(list, after, nearEnd);
        if (near.Count > 0)
        {
            return near[0];
        }

        if (nearEnd >= Guard.LatestDate)
        {
            return null;
        }

        var far = DueIn(list, nearEnd, Guard.LatestDate);
        return far.Count > 0 ? far[0] : null;
    }
}
