using Cst.Actors.Domain.Deadlines;
using static Cst.Actors.Domain.Tests.Deadlines.TestDates;

namespace Cst.Actors.Domain.Tests.Lifecycle;

public sealed class NoticePolicyTests
{
    [Fact]
    public void Start_OnImportedHistory_SkipsPastDeadlines_ButNoticesAnExpiryOfTheLast30Days()
    {
        // Expired on 2026-03-01, imported on 2026-03-20: warnings skipped, the expiry noticed.
        var device = new FirmaDevice("BK-1", FirmaDeviceKind.BusinessKey, D("2023-03-01"));

        var batch = NoticePolicy.Start(device, D("2026-03-20"));

        Assert.Equal("Expiry 2026-03-01", Flat(batch.ToNotice));
        Assert.Equal("ExpiryWarning90Days 2025-12-01|ExpiryWarning30Days 2026-01-30|ExpiryWarning7Days 2026-02-22|LastRenewalDay 2026-02-28",
            Flat(batch.Skipped));
        Assert.Equal(D("2026-03-20"), batch.HandledThrough);
    }

    [Theory]
    [InlineData("2026-03-31", "Expiry 2026-03-01")]
    [InlineData("2026-04-01", "")]
    public void Start_ExpiryOlderThan30Days_IsNotNoticed(string today, string expected)
    {
        var device = new FirmaDevice("BK-1", FirmaDeviceKind.BusinessKey, D("2023-03-01"));

        Assert.Equal(expected, Flat(NoticePolicy.Start(device, D(today)).ToNotice));
    }

    [Fact]
    public void Start_TenYearsOfMailboxHistory_NoticesNothingPast_ButWhatIsDueToday()
    {
        var mailbox = new AnnualSubscription("PEC mailbox a@pec.it", D("2015-04-01"));

        var batch = NoticePolicy.Start(mailbox, D("2025-12-01"));

        Assert.Equal("DisdettaWarning 2025-12-01", Flat(batch.ToNotice));
        Assert.Equal(30, batch.Skipped.Count);
    }

    [Fact]
    public void CatchUp_AfterDowntime_NoticesEveryDeadlineOfTheWindowOnce()
    {
        var mailbox = new AnnualSubscription("PEC mailbox a@pec.it", D("2015-04-01"));

        var first = NoticePolicy.CatchUp(mailbox, D("2025-11-20"), D("2026-01-03"));
        var again = NoticePolicy.CatchUp(mailbox, first.HandledThrough, D("2026-01-03"));

        Assert.Equal("DisdettaWarning 2025-12-01|DisdettaDeadline 2025-12-31|Renewal 2026-01-01", Flat(first.ToNotice));
        Assert.Empty(again.ToNotice);
        Assert.Equal(D("2026-01-03"), again.HandledThrough);
    }
}
