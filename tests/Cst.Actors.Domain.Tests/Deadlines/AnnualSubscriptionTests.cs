using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Validation;
using static Cst.Actors.Domain.Tests.Deadlines.TestDates;

namespace Cst.Actors.Domain.Tests.Deadlines;

public sealed class AnnualSubscriptionTests
{
    private const string Mailbox = "PEC mailbox protocollo@pec.comune.padova.it";

    [Theory]
    // Rule 11: a disdetta received on any day of Y stops the service on 1 January Y+1; on 1 January it is Y's.
    [InlineData("2026-12-31", "2027-01-01", "2026-12-31")]
    [InlineData("2027-01-01", "2028-01-01", "2027-12-31")]
    [InlineData("2026-01-02", "2027-01-01", "2026-12-31")]
    [InlineData("2024-02-29", "2025-01-01", "2024-12-31")]
    public void EndsOn_DisdettaReceived_CeasesOnFirstJanuaryAfterItsYear(string received, string ceases, string lastActive)
    {
        var subscription = new AnnualSubscription(Mailbox, D("2024-01-15"), disdettaReceivedOn: D(received));

        Assert.Equal(D(ceases), subscription.EndsOn);
        Assert.True(subscription.IsActiveOn(D(lastActive)));
        Assert.False(subscription.IsActiveOn(D(ceases)));
    }

    [Fact]
    public void DueIn_DisdettaOnDecember31_LastRenewalIsTheYearBefore()
    {
        // Activated 20 March 2024, disdetta on the very last day of 2026: 2026 was renewed, 2027 is not.
        var subscription = new AnnualSubscription(Mailbox, D("2024-03-20"), disdettaReceivedOn: D("2026-12-31"));

        var deadlines = subscription.DueIn(D("2024-01-01"), D("2028-12-31"));

        Assert.Equal(
            "DisdettaWarning 2024-12-01|DisdettaDeadline 2024-12-31|Renewal 2025-01-01"
            + "|DisdettaWarning 2025-12-01|DisdettaDeadline 2025-12-31|Renewal 2026-01-01"
            + "|Cessation 2027-01-01",
            Flat(deadlines));
    }

    [Fact]
    public void DueIn_DisdettaOnJanuary1_RenewsThatDayAndCeasesAYearLater()
    {
        // One day later than above: the disdetta belongs to 2027, so the renewal of 1 January 2027 stands
        // and the service ceases only on 1 January 2028.
        var subscription = new AnnualSubscription(Mailbox, D("2024-03-20"), disdettaReceivedOn: D("2027-01-01"));

        var deadlines = subscription.DueIn(D("2026-06-30"), D("2028-12-31"));

        Assert.Equal(
            "DisdettaWarning 2026-12-01|DisdettaDeadline 2026-12-31|Renewal 2027-01-01|Cessation 2028-01-01",
            Flat(deadlines));
    }

    [Fact]
    public void DueIn_ActivatedOnDecember31_HasDeadlineThatDayButNoEarlierWarning()
    {
        // The 1 December 2025 warning would precede the activation; the deadline falls on the activation day itself.
        var subscription = new AnnualSubscription(Mailbox, D("2025-12-31"));

        var deadlines = subscription.DueIn(D("2025-01-01"), D("2026-12-31"));

        Assert.Equal(
            "DisdettaDeadline 2025-12-31|Renewal 2026-01-01|DisdettaWarning 2026-12-01|DisdettaDeadline 2026-12-31",
            Flat(deadlines));
    }

    [Fact]
    public void Upcoming_ActivatedOnDecember31_ListsDeadlineAndRenewalNextDay()
    {
        var subscription = new AnnualSubscription(Mailbox, D("2025-12-31"));

        Assert.Equal(
            "DisdettaDeadline 2025-12-31|Renewal 2026-01-01",
            Flat(subscription.Upcoming(D("2025-12-31"))));
    }

    [Theory]
    // Mid-year: this year's warning (31 Dec - 30 days = 1 Dec), deadline and the renewal of 1 January.
    [InlineData("2026-06-15", "DisdettaWarning 2026-12-01|DisdettaDeadline 2026-12-31|Renewal 2027-01-01")]
    // On the warning day it is still upcoming; the day after it is past.
    [InlineData("2026-12-01", "DisdettaWarning 2026-12-01|DisdettaDeadline 2026-12-31|Renewal 2027-01-01")]
    [InlineData("2026-12-02", "DisdettaDeadline 2026-12-31|Renewal 2027-01-01")]
    [InlineData("2026-12-31", "DisdettaDeadline 2026-12-31|Renewal 2027-01-01")]
    // On 1 January today's renewal is due, and the whole cycle of the new year follows.
    [InlineData("2027-01-01", "Renewal 2027-01-01|DisdettaWarning 2027-12-01|DisdettaDeadline 2027-12-31|Renewal 2028-01-01")]
    // Before the activation: the cycle of the activation year.
    [InlineData("2024-01-10", "DisdettaWarning 2024-12-01|DisdettaDeadline 2024-12-31|Renewal 2025-01-01")]
    public void Upcoming_NoDisdetta_ListsCurrentCycle(string today, string expected)
    {
        var subscription = new AnnualSubscription(Mailbox, D("2024-03-20"));

        Assert.Equal(expected, Flat(subscription.Upcoming(D(today))));
    }

    [Theory]
    [InlineData("2026-10-10", "Cessation 2027-01-01")]
    [InlineData("2026-12-31", "Cessation 2027-01-01")]
    // On the cessation day the cessation itself is due; after it, nothing.
    [InlineData("2027-01-01", "Cessation 2027-01-01")]
    [InlineData("2027-01-02", "")]
    [InlineData("2030-06-01", "")]
    public void Upcoming_DisdettaReceived_ListsOnlyCessationThenNothing(string today, string expected)
    {
        var subscription = new AnnualSubscription(Mailbox, D("2024-03-20"), disdettaReceivedOn: D("2026-10-10"));

        Assert.Equal(expected, Flat(subscription.Upcoming(D(today))));
    }

    [Fact]
    public void Upcoming_WithdrawalYearsAhead_ListsCycleAndCessation()
    {
        var subscription = new AnnualSubscription(Mailbox, D("2024-03-20"), cessationOn: D("2029-07-01"));

        Assert.Equal(
            "DisdettaWarning 2026-12-01|DisdettaDeadline 2026-12-31|Renewal 2027-01-01|Cessation 2029-07-01",
            Flat(subscription.Upcoming(D("2026-06-15"))));
    }

    [Fact]
    public void DueIn_WithdrawalMidYear_CeasesThatDayWithNoFurtherDeadlines()
    {
        // Rule 11, recesso: the service ends at the withdrawal date; the 2026 disdetta deadline is moot.
        var subscription = new AnnualSubscription(Mailbox, D("2024-03-20"), cessationOn: D("2026-07-01"));

        Assert.Equal("Renewal 2026-01-01|Cessation 2026-07-01", Flat(subscription.DueIn(D("2025-12-31"), D("2027-12-31"))));
    }

    [Fact]
    public void EndsOn_WithdrawalBeforeDisdettaTakesEffect_WithdrawalWins()
    {
        var subscription = new AnnualSubscription(Mailbox, D("2024-03-20"),
            disdettaReceivedOn: D("2026-03-01"), cessationOn: D("2026-09-30"));

        Assert.Equal(D("2026-09-30"), subscription.EndsOn);
        Assert.Equal("Cessation 2026-09-30", Flat(subscription.DueIn(D("2026-01-01"), D("2027-12-31"))));
    }

    [Fact]
    public void DueIn_Descriptions_NameSubjectAndDates()
    {
        var subscription = new AnnualSubscription(Mailbox, D("2024-03-20"), disdettaReceivedOn: D("2027-01-01"));

        var deadlines = subscription.DueIn(D("2026-11-30"), D("2028-01-01"));

        Assert.Equal(
            [
                "PEC mailbox protocollo@pec.comune.padova.it: the disdetta deadline is 2026-12-31, in 30 days; "
                    + "without a disdetta by then the service renews on 2027-01-01 for the whole of 2027",
                "PEC mailbox protocollo@pec.comune.padova.it: last day to receive a disdetta; "
                    + "otherwise the service renews on 2027-01-01 for the whole of 2027",
                "PEC mailbox protocollo@pec.comune.padova.it: renews for the whole of 2027",
                "PEC mailbox protocollo@pec.comune.padova.it: ceases on 2028-01-01, after the disdetta received on "
                    + "2027-01-01; last active day 2027-12-31",
            ],
            deadlines.Select(d => d.Description));
        Assert.All(deadlines, d => Assert.Equal(Mailbox, d.Subject));
    }

    [Fact]
    public void Constructor_DisdettaBeforeActivation_ThrowsNamingDates()
    {
        var error = Assert.Throws<OutOfRangeException>(() =>
            new AnnualSubscription(Mailbox, D("2024-03-20"), disdettaReceivedOn: D("2024-01-10")));

        Assert.Equal(
            $"disdetta date of {Mailbox} is 2024-01-10; it cannot be before the activation date 2024-03-20",
            error.Message);
    }

    [Fact]
    public void Constructor_ImplausibleActivation_Throws()
    {
        var error = Assert.Throws<OutOfRangeException>(() => new AnnualSubscription(Mailbox, D("1926-03-20")));

        Assert.Equal(
            $"activation date of {Mailbox} is 1926-03-20; it must be between 2000-01-01 and 2100-12-31",
            error.Message);
    }

    [Fact]
    public void DueIn_WindowBeforeActivation_IsEmpty()
    {
        var subscription = new AnnualSubscription(Mailbox, D("2025-03-20"));

        Assert.Empty(subscription.DueIn(D("2024-01-01"), D("2025-03-19")));
    }
}
