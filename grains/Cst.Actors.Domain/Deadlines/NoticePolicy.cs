using NodaTime;

namespace Cst.Actors.Domain.Deadlines;

/// <summary>What a grain does with the deadlines of one handling: notice some, mark all handled through a day.</summary>
/// <param name="ToNotice">The deadlines that get a notice, in <see cref="DeadlineWindow.Order"/>.</param>
/// <param name="Skipped">Deadlines marked handled without a notice (back-dated history).</param>
/// <param name="HandledThrough">Every deadline due up to and including this day has now been handled.</param>
public sealed record DeadlineBatch(IReadOnlyList<Deadline> ToNotice, IReadOnlyList<Deadline> Skipped, LocalDate HandledThrough);

/// <summary>
/// Which deadlines produce a notice, and the rule for back-dated history.
/// <para>
/// <b>Catching up.</b> A grain persists the day through which it has handled its deadlines. Each handling (a reminder
/// tick, an activation, a change) takes the deadlines due in (handled-through, today], notices every one of them and
/// moves handled-through to today. Consecutive windows never overlap, so each deadline is handled once, and a
/// deadline that fell while the cluster was down is handled at the first handling after the restart.
/// </para>
/// <para>
/// <b>Back-dated history.</b> Tracking starts the first time an object has a schedule (a mailbox or service when it
/// gets its activation date, a device when it is issued), on that day's date, whatever the dates recorded. Deadlines
/// due before that day are marked handled without a notice: they happened before the CST's system knew of them
/// (an import of ten years of history must not flood the notices). One exception keeps the operator informed of
/// the object's present state: the latest past <see cref="DeadlineKind.Expiry"/> or <see cref="DeadlineKind.Cessation"/>
/// is noticed when it fell within <see cref="RecentEndDays"/> days before tracking started. Deadlines made past by a
/// later back-dated operation (e.g. a disdetta recorded today with last month's date) are likewise not noticed:
/// once tracking has started, only windows from handled-through onwards are looked at.
/// </para>
/// </summary>
public static class NoticePolicy
{
    /// <summary>How far back an imported expiry or cessation still gets its notice at the start of tracking.</summary>
    public const int RecentEndDays = 30;

    /// <summary>The first handling of <paramref name="schedule"/>, on <paramref name="today"/>.</summary>
    public static DeadlineBatch Start(IDeadlineSchedule schedule, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var past = schedule.DueIn(LocalDate.MinIsoValue, today.PlusDays(-1));
        var dueToday = schedule.DueIn(today.PlusDays(-1), today);
        var lastEnd = past.LastOrDefault(d => d.Kind is DeadlineKind.Expiry or DeadlineKind.Cessation);
        var notice = new List<Deadline>();
        if (lastEnd is not null && lastEnd.Due >= today.PlusDays(-RecentEndDays))
        {
            notice.Add(lastEnd);
        }

        notice.AddRange(dueToday);
        var skipped = past.Where(d => !notice.Contains(d)).ToList();
        return new DeadlineBatch(notice, skipped, today);
    }

    /// <summary>A later handling: every deadline due in (<paramref name="handledThrough"/>, <paramref name="today"/>].</summary>
    public static DeadlineBatch CatchUp(IDeadlineSchedule schedule, LocalDate handledThrough, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (today <= handledThrough)
        {
            return new DeadlineBatch([], [], handledThrough);
        }

        return new DeadlineBatch(schedule.DueIn(handledThrough, today), [], today);
    }
}
