using Cst.Actors.Domain.Deadlines;
using static Cst.Actors.Domain.Tests.Deadlines.TestDates;

namespace Cst.Actors.Domain.Tests.Deadlines;

public sealed class DisdettaRuleTests
{
    [Theory]
    // 31 December minus 30 days is 1 December in every year: December has 31 days, leap years change only February.
    [InlineData(2024, "2024-12-01", "2024-12-31", "2025-01-01")]
    [InlineData(2026, "2026-12-01", "2026-12-31", "2027-01-01")]
    public void Dates_Year_WarningDeadlineAndRenewal(int year, string warning, string deadline, string renewal)
    {
        Assert.Equal(D(warning), DisdettaRule.WarningDate(year));
        Assert.Equal(D(deadline), DisdettaRule.DeadlineToLeaveAfter(year));
        Assert.Equal(D(renewal), DisdettaRule.RenewalDate(year));
    }

    [Theory]
    [InlineData("2026-12-31", "2027-01-01", "2026-12-31")]
    [InlineData("2027-01-01", "2028-01-01", "2027-12-31")]
    public void CeasesOn_Received_FirstJanuaryOfFollowingYear(string received, string ceases, string lastActive)
    {
        Assert.Equal(D(ceases), DisdettaRule.CeasesOn(D(received)));
        Assert.Equal(D(lastActive), DisdettaRule.LastActiveDay(D(received)));
    }
}
