using System.Collections.Immutable;
using Cst.Actors.Domain.Catalogue;
using NodaTime;

namespace Cst.Actors.Domain.Pricing;

/// <summary>
/// Counts the months of a calendar year in which a service was active (DESIGN rule 3), and shares them out among
/// consecutive periods when a quantity or variant change splits the year. A month is decided once, on the whole
/// active span, and then given to exactly one period, so splitting a span never creates nor loses a month
/// (a change on the 16th of a 30-day month would otherwise leave 15 + 15 days and no month at all).
/// </summary>
public static class MonthCounter
{
    /// <summary>The months of <paramref name="year"/> counted for the half-open active span <c>[start, end)</c>.</summary>
    public static int CountMonths(LocalDate start, LocalDate end, int year, MonthCounting counting) =>
        AllocateMonths([start, end], year, counting)[0];

    /// <summary>
    /// Given the boundaries b0 &lt; b1 &lt; ... &lt; bn of consecutive half-open periods <c>[b(i), b(i+1))</c>, returns how
    /// many counted months of <paramref name="year"/> belong to each period. A counted month goes to the period that
    /// covers most of its days; on a tie, to the later period (the state in force at the month's end).
    /// </summary>
    public static ImmutableArray<int> AllocateMonths(IReadOnlyList<LocalDate> boundaries, int year, MonthCounting counting)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        if (boundaries.Count < 2)
        {
            throw new ArgumentException("At least two boundaries are needed to make a period.", nameof(boundaries));
        }

        for (var i = 1; i < boundaries.Count; i++)
        {
            if (boundaries[i] < boundaries[i - 1])
            {
                throw new ArgumentException("Period boundaries must not go backwards.", nameof(boundaries));
            }
        }

        var counts = new int[boundaries.Count - 1];
        for (var month = 1; month <= 12; month++)
        {
            var monthStart = new LocalDate(year, month, 1);
            var monthEnd = monthStart.PlusMonths(1);
            var daysInMonth = Period.DaysBetween(monthStart, monthEnd);
            var activeDays = OverlapDays(boundaries[0], boundaries[^1], monthStart, monthEnd);
            var counted = counting switch
            {
                MonthCounting.MoreThanHalf => activeDays * 2 > daysInMonth,
                MonthCounting.AnyDay => activeDays > 0,
                _ => throw new ArgumentOutOfRangeException(nameof(counting), counting, "Unknown month counting convention."),
            };
            if (!counted)
            {
                continue;
            }

            var best = -1;
            var bestDays = 0;
            for (var i = 0; i < counts.Length; i++)
            {
                var days = OverlapDays(boundaries[i], boundaries[i + 1], monthStart, monthEnd);
                if (days > 0 && days >= bestDays)
                {
                    best = i;
                    bestDays = days;
                }
            }

            counts[best]++;
        }

        return [.. counts];
    }

    /// <summary>Days shared by the half-open ranges <c>[aStart, aEnd)</c> and <c>[bStart, bEnd)</c>.</summary>
    public static int OverlapDays(LocalDate aStart, LocalDate aEnd, LocalDate bStart, LocalDate bEnd)
    {
        var start = LocalDate.Max(aStart, bStart);
        var end = LocalDate.Min(aEnd, bEnd);
        return end > start ? Period.DaysBetween(start, end) : 0;
    }
}
