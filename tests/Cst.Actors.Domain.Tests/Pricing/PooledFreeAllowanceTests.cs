using Cst.Actors.Domain.Pricing;
using static Cst.Actors.Domain.Tests.Pricing.PricingTestData;

namespace Cst.Actors.Domain.Tests.Pricing;

/// <summary>
/// The free allowance belongs to the ente (CHOICES C14, C26): CIT Brescia's first PEC mailbox is free once per ente,
/// however its mailboxes are recorded. Seed 002: EUR 36.00 activation of each mailbox beyond the free one, EUR 36.00
/// per calendar year of each, pro-rated by months used; the Brescia listino counts a month once any day is used.
/// </summary>
public class PooledFreeAllowanceTests
{
    private static Subscription Box(string id, string activatedOn) => new(id, "pec", D(activatedOn));

    private static EnteHistory Comune(params Subscription[] boxes) =>
        new("comune-bs", "cit-brescia", D(2015, 10, 1)) { Subscriptions = [.. boxes] };

    private static decimal SubscriptionTotal(Statement statement, string subscriptionId) =>
        statement.Lines.Where(l => l.SubscriptionId == subscriptionId).Sum(l => l.Amount.Euros);

    [Fact]
    public void Compute_ThreeBoxesOnDifferentDates_EarliestIsFree()
    {
        // protocollo 10 Feb 2025 is the earliest: free (no activation, no annual fee), although its id sorts last.
        // anagrafe 31 May: activation 36.00; May counts with one day, May-Dec 8 months: 36 x 8 / 12 = 24.00 -> 60.00
        // tributi 1 Sep: activation 36.00; Sep-Dec 4 months: 36 x 4 / 12 = 12.00 -> 48.00
        // Total 60 + 48 = 108.00
        var history = Comune(Box("tributi", "2025-09-01"), Box("z-protocollo", "2025-02-10"), Box("anagrafe", "2025-05-31"));

        var statement = StatementCalculator.Compute(Brescia, history, 2025);

        Assert.DoesNotContain(statement.Lines, l => l.SubscriptionId == "z-protocollo");
        Assert.Equal(60m, SubscriptionTotal(statement, "anagrafe"));
        Assert.Equal(48m, SubscriptionTotal(statement, "tributi"));
        var anagrafe = Assert.Single(statement.Lines, l => l.SubscriptionId == "anagrafe" && l.ComponentId == "mantenimento");
        Assert.Equal((8, 1m, 24m), (anagrafe.Months ?? 0, anagrafe.Quantity, anagrafe.Amount.Euros));
        Assert.Equal(72m, Amount(statement, "pec", "attivazione"));
        Assert.Equal(108m, statement.Total.Euros);
    }

    [Fact]
    public void Compute_BoxesActivatedTheSameDay_FreeBoxIsTheFirstById()
    {
        // Both on 1 March 2025: "pec-a" comes first by id and is free; "pec-b" pays 36.00 + Mar-Dec 10 months
        // 36 x 10 / 12 = 30.00 -> 66.00.
        var statement = StatementCalculator.Compute(Brescia, Comune(Box("pec-b", "2025-03-01"), Box("pec-a", "2025-03-01")), 2025);

        Assert.Equal(0m, SubscriptionTotal(statement, "pec-a"));
        Assert.Equal(66m, SubscriptionTotal(statement, "pec-b"));
    }

    [Fact]
    public void Compute_FreeBoxCeasesMidYear_StaysFreeAndOthersStillPay()
    {
        // protocollo (since 2020, free) ceases 15 June 2025; anagrafe (2021) and tributi (2022) run all year:
        // 36 x 12 / 12 = 36.00 each -> 72.00. The free right is not passed on: 2026 is again 36.00 + 36.00 = 72.00.
        var history = Comune(
            Box("protocollo", "2020-01-01") with { CeasedOn = D("2025-06-15") },
            Box("anagrafe", "2021-03-15"),
            Box("tributi", "2022-07-01"));

        var y2025 = StatementCalculator.Compute(Brescia, history, 2025);
        var y2026 = StatementCalculator.Compute(Brescia, history, 2026);

        Assert.Equal(0m, SubscriptionTotal(y2025, "protocollo"));
        Assert.Equal(36m, SubscriptionTotal(y2025, "anagrafe"));
        Assert.Equal(36m, SubscriptionTotal(y2025, "tributi"));
        Assert.Equal(72m, y2025.Total.Euros);
        Assert.Equal(72m, y2026.Total.Euros);
    }

    [Fact]
    public void Compute_OnlyOneBoxActivatedInYear_PaysNothing()
    {
        // The free box: neither the 36.00 activation nor the annual 36.00 (Mar-Dec 10 months = 30.00) is due.
        var statement = StatementCalculator.Compute(Brescia, Comune(Box("protocollo", "2025-03-20")), 2025);

        Assert.Empty(statement.Lines);
        Assert.Equal(0m, statement.Total.Euros);
    }

    [Fact]
    public void Compute_BoxAfterSubscriptionWithQuantity_PaysInFull()
    {
        // An older subscription of 2 mailboxes (2018) takes the free allowance: it pays 1 box, 36 x 12 / 12 = 36.00.
        // A box added as its own subscription on 20 October 2025 pays 36.00 + Oct-Dec 3 months 36 x 3 / 12 = 9.00.
        // Total 36 + 36 + 9 = 81.00.
        var history = Comune(new Subscription("caselle", "pec", D(2018, 1, 1)) { Quantity = 2m }, Box("suap", "2025-10-20"));

        var statement = StatementCalculator.Compute(Brescia, history, 2025);

        Assert.Equal(36m, SubscriptionTotal(statement, "caselle"));
        Assert.Equal(45m, SubscriptionTotal(statement, "suap"));
        Assert.Equal(81m, statement.Total.Euros);
    }
}
