using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Validation;
using FsCheck.Xunit;
using NodaTime;
using static Cst.Actors.Domain.Tests.Deadlines.TestDates;

namespace Cst.Actors.Domain.Tests.Deadlines;

public sealed class DeadlineWindowTests
{
    private static readonly AnnualSubscription Mailbox =
        new("PEC mailbox protocollo@pec.comune.padova.it", D("2024-03-20"));

    private static readonly FirmaDevice Device = new("BK-123", FirmaDeviceKind.BusinessKey, D("2023-03-01"));

    [Fact]
    public void DueIn_DeadlineOnBoundary_BelongsOnlyToWindowEndingThere()
    {
        // The 90-day warning of BK-123 is due on 2025-12-01.
        Assert.Equal("ExpiryWarning90Days 2025-12-01", Flat(Device.DueIn(D("2025-11-01"), D("2025-12-01"))));
        Assert.Equal("", Flat(Device.DueIn(D("2025-12-01"), D("2025-12-31"))));
    }

    [Fact]
    public void DueIn_EmptyWindow_ListsNothing()
    {
        Assert.Empty(Mailbox.DueIn(D("2026-12-31"), D("2026-12-31")));
    }

    [Fact]
    public void DueIn_EndBeforeStart_Throws()
    {
        var error = Assert.Throws<OutOfRangeException>(() => Mailbox.DueIn(D("2026-12-31"), D("2026-12-01")));

        Assert.Equal(
            "end of the deadline window is 2026-12-01; it cannot be before its start 2026-12-31",
            error.Message);
    }

    [Fact]
    public void DueIn_ManySchedules_MergesByDateKindAndSubject()
    {
        // Catching up from 2025-11-15 to 2026-01-31 for an ente with one mailbox and one BusinessKey.
        var deadlines = DeadlineWindow.DueIn([Device, Mailbox], D("2025-11-15"), D("2026-01-31"));

        Assert.Equal(
            "DisdettaWarning 2025-12-01|ExpiryWarning90Days 2025-12-01|DisdettaDeadline 2025-12-31"
            + "|Renewal 2026-01-01|ExpiryWarning30Days 2026-01-30",
            Flat(deadlines));
    }

    [Theory]
    [InlineData("2026-06-15", "DisdettaWarning 2026-12-01")]
    [InlineData("2026-12-01", "DisdettaDeadline 2026-12-31")]
    [InlineData("2026-12-31", "Renewal 2027-01-01")]
    public void Next_Subscription_IsFirstDeadlineStrictlyAfter(string after, string expected)
    {
        var next = DeadlineWindow.Next(Mailbox, D(after));

        Assert.NotNull(next);
        Assert.Equal(expected, Flat([next]));
    }

    [Fact]
    public void Next_ExpiredDevice_IsNull()
    {
        Assert.Null(DeadlineWindow.Next(Device, D("2026-03-01")));
    }

    [Fact]
    public void Next_WithdrawalFarAhead_FindsCessation()
    {
        // No renewal is left before the cessation on 1 March 2030, which is over two years after the start.
        var subscription = new AnnualSubscription("site maintenance", D("2024-03-20"), cessationOn: D("2030-03-01"));

        var next = DeadlineWindow.Next(subscription, D("2030-01-01"));

        Assert.Equal("Cessation 2030-03-01", Flat([next!]));
    }

    [Fact]
    public void Next_ManySchedules_IsEarliestOfAll()
    {
        var next = DeadlineWindow.Next([Mailbox, Device], D("2026-01-01"));

        Assert.Equal("ExpiryWarning30Days 2026-01-30", Flat([next!]));
    }

    /// <summary>
    /// Cutting a span into consecutive windows (c0, c1], (c1, c2], ... and listing each must give exactly the list of
    /// the whole span (c0, cn]: no deadline lost at a boundary, none listed twice. This is what lets a grain catch up
    /// from the last day it handled, however the days were split by restarts.
    /// </summary>
    [Property(MaxTest = 300)]
    public void DueIn_ConsecutiveWindows_PartitionTheDeadlines(
        int activation, int disdetta, int cessation, int issue, int renewals, int[] cuts)
    {
        var schedules = Schedules(activation, disdetta, cessation, issue, renewals);
        var start = Origin.PlusDays(-400);
        var end = Origin.PlusDays(Span);
        var points = (cuts ?? [])
            .Select(c => Origin.PlusDays(Mod(c, Span)))
            .Append(start)
            .Append(end)
            .Distinct()
            .Order()
            .ToList();

        var whole = DeadlineWindow.DueIn(schedules, start, end);
        var pieced = new List<Deadline>();
        for (var i = 1; i < points.Count; i++)
        {
            var window = DeadlineWindow.DueIn(schedules, points[i - 1], points[i]);
            Assert.All(window, d => Assert.True(DeadlineWindow.Contains(points[i - 1], points[i], d.Due)));
            pieced.AddRange(window);
        }

        Assert.Equal(whole, pieced);
        Assert.Equal(whole.Count, whole.Distinct().Count());
        Assert.NotEmpty(whole);
    }

    /// <summary>Day-by-day windows (d-1, d] over a shorter span find exactly the deadlines of the span.</summary>
    [Property(MaxTest = 40)]
    public void DueIn_OneDayWindows_FindEveryDeadlineOnItsDueDay(int activation, int disdetta, int cessation, int issue,
        int renewals)
    {
        var schedules = Schedules(activation, disdetta, cessation, issue, renewals);
        var start = Origin;
        var end = Origin.PlusDays(1500);

        var whole = DeadlineWindow.DueIn(schedules, start, end);
        var daily = new List<Deadline>();
        for (var day = start.PlusDays(1); day <= end; day = day.PlusDays(1))
        {
            var window = DeadlineWindow.DueIn(schedules, day.PlusDays(-1), day);
            Assert.All(window, d => Assert.Equal(day, d.Due));
            daily.AddRange(window);
        }

        Assert.Equal(whole, daily);
    }

    private static readonly LocalDate Origin = new(2022, 1, 1);

    private const int Span = 4000;

    // A subscription and a device built from arbitrary integers, always valid: dates fall in 2022-2032,
    // a disdetta or cessation is absent one time in three, renewals happen inside their period.
    private static IDeadlineSchedule[] Schedules(int activation, int disdetta, int cessation, int issue, int renewals)
    {
        var activatedOn = Origin.PlusDays(Mod(activation, 3000));
        LocalDate? disdettaOn = Mod(disdetta, 3) == 0 ? null : activatedOn.PlusDays(Mod(disdetta / 3, 1500));
        LocalDate? cessationOn = Mod(cessation, 3) == 0 ? null : activatedOn.PlusDays(Mod(cessation / 3, 2500));
        var subscription = new AnnualSubscription("service S", activatedOn, disdettaOn, cessationOn);

        var issuedOn = Origin.PlusDays(Mod(issue, 3000));
        var renewalDates = new List<LocalDate>();
        var anchor = issuedOn;
        for (var i = 0; i < Mod(renewals, 4); i++)
        {
            // Somewhere in the period, including its first and last allowed day.
            var length = Period.DaysBetween(anchor, FirmaCertificateRule.ExpiresOn(anchor));
            anchor = anchor.PlusDays(Mod(renewals / (i + 2), length));
            renewalDates.Add(anchor);
        }

        var device = new FirmaDevice("BK-P", FirmaDeviceKind.BusinessKey, issuedOn, renewalDates);
        return [subscription, device];
    }

    private static int Mod(int value, int modulus) => ((value % modulus) + modulus) % modulus;
}
