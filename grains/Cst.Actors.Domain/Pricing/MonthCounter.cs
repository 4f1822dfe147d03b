using Cst.Actors.Domain.Catalogue;
using NodaTime;

namespace Cst.Actors.Domain.Pricing;

/// <summary>Counts the months of a calendar year in which a service was active (DESIGN rule 3).</summary>
public static class MonthCounter
{
    /// <summary>
    /// The months of <paramref name="year"/> counted for the half-open active span <c>[start, end)</c>: with
    /// <see cref="MonthCounting.MoreThanHalf"/> a month counts when the span covers more than half of its days
    /// (16 of 30, 15 of 28, 15 of 29; not 15 of 30, not 14 of 29); with <see cref="MonthCounting.AnyDay"/> when it
    /// covers at least one.
    /// </summary>
    public static int CountMonths(LocalDate start, LocalDate end, int year, MonthCounting counting)
    {
        var count = 0;
        for (var month = 1; month <= 12; month++)
        {
            var monthStart = new LocalDate(year, month, 1);
            var monthEnd = monthStart.PlusMonths(1);
            var activeDays = OverlapDays(start, end, monthStart, monthEnd);
            var counted = counting switch
            {
                MonthCounting.MoreThanHalf => activeDays * 2 > Period.DaysBetween(monthStart, monthEnd),
                MonthCounting.AnyDay => activeDays > 0,
                _ => throw new ArgumentOutOfRangeException(nameof(counting), counting, "Unknown month counting convention."),
            };
            if (counted)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Days shared by the half-open ranges <c>[aStart, aEnd)</c> and <c>[bStart, bEnd)</c>.</summary>
    public static int OverlapDays(LocalDate aStart, LocalDate aEnd, LocalDate bStart, LocalDate bEnd)
    {
        var start = LocalDate.Max(aStart, bStart);
        var end = LocalDate.Min(aEnd, bEnd);
        return end > start ? Period.DaysBetween(start, end) : 0;
    }
}
