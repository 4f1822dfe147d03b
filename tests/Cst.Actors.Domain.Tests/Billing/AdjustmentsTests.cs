using Cst.Actors.Domain.Billing;
using Cst.Actors.Domain.Pricing;
using static Cst.Actors.Domain.Tests.Pricing.PricingTestData;

namespace Cst.Actors.Domain.Tests.Billing;

/// <summary>The revision rule: a new revision of a closed year holds only the differences, key by key.</summary>
public class AdjustmentsTests
{
    private static List<BilledLine> Lines(EnteHistory history) =>
        [.. LineKeys.Assign(StatementCalculator.Compute(Padova, history, BillingScenario.Year))];

    [Fact]
    public void Compute_NothingChanged_GivesNoLine()
    {
        var closed = Lines(BillingScenario.Alfa);

        Assert.Empty(Adjustments.Compute(Lines(BillingScenario.Alfa), closed));
    }

    [Fact]
    public void Compute_BackDatedActivation_BillsOnlyTheNewCharge()
    {
        // Closed: Alfa 783.13. Then a PEC silver mailbox activated back on 1 March 2025 is recorded:
        // Mar-Dec = 10 months, 15.00 x 10 / 12 = 12.50; quota, antivirus and the standard mailbox are unchanged.
        var closed = Lines(BillingScenario.Alfa);
        var now = BillingScenario.Alfa with
        {
            Subscriptions = BillingScenario.Alfa.Subscriptions.Add(new Subscription("pec-late", "s.11", D(2025, 3, 1)) { Variant = "pec-silver" }),
        };

        var line = Assert.Single(Adjustments.Compute(Lines(now), closed));

        Assert.Equal(12.50m, line.Amount.Euros);
        Assert.Equal(Money.Zero, line.PreviouslyBilled);
        Assert.Equal("pec-late|s.11|pec-silver|2025-03-01|2026-01-01", line.LineKey);
        Assert.Equal(1, line.LineNo);
    }

    [Fact]
    public void Compute_CorrectedPopulationAndRemovedCharge_GivesPositiveAndNegativeDifferences()
    {
        // Population corrected 3,000 -> 3,100: quota 3,100 x 0.20 = 620.00, billed 600.00: +20.00.
        // The standard mailbox turns out never to have been activated: its 3.13 is credited, -3.13.
        var closed = Lines(BillingScenario.Alfa);
        var now = BillingScenario.Alfa with
        {
            Population = [new PopulationCount(2025, 3100)],
            Subscriptions = [BillingScenario.Alfa.Subscriptions[0]],
        };

        var lines = Adjustments.Compute(Lines(now), closed);

        Assert.Equal(["quota +20.00 after 600.00", "s.11 -3.13 after 3.13"],
            lines.Select(l => $"{l.ServiceId} {(l.Amount.Euros > 0 ? "+" : string.Empty)}{l.Amount} after {l.PreviouslyBilled}"));
        Assert.Equal(0m, lines[1].Quantity);
        // Billed before plus the adjustments is what is due now: 783.13 + 20.00 - 3.13 = 800.00 = 620.00 + 180.00
        Assert.Equal(800.00m, (Money.Sum(closed.Select(l => l.Amount)) + Money.Sum(lines.Select(l => l.Amount))).Euros);
    }

    [Fact]
    public void Compute_ThirdRevision_NetsEveryEarlierRevision()
    {
        // Revision 1 billed the quota at 600.00, revision 2 added +20.00 (population 3,100); now 3,050: 610.00,
        // so revision 3 credits -10.00 (600.00 + 20.00 - 10.00 = 610.00).
        var first = Lines(BillingScenario.Alfa);
        var corrected = BillingScenario.Alfa with { Population = [new PopulationCount(2025, 3100)] };
        var second = Adjustments.Compute(Lines(corrected), first);
        var again = BillingScenario.Alfa with { Population = [new PopulationCount(2025, 3050)] };

        var third = Adjustments.Compute(Lines(again), [.. first, .. second]);

        var line = Assert.Single(third);
        Assert.Equal(-10.00m, line.Amount.Euros);
        Assert.Equal(620.00m, line.PreviouslyBilled?.Euros);
    }

    [Fact]
    public void Compute_QuantityCorrected_ReplacesThePeriodLinesWithTheirDifference()
    {
        // Antivirus corrected back to 20 clients from 1 July 2025 (12 before): due now 12 x 15.00 = 180.00 for the
        // year plus 8 x 15.00 x 6 / 12 = 60.00 for Jul-Dec, 240.00 in all; billed 180.00. Whatever the lines, the
        // adjustments of s.13 add up to +60.00 and nothing else changes.
        var closed = Lines(BillingScenario.Alfa);
        var antivirus = BillingScenario.Alfa.Subscriptions[0] with { QuantityChanges = [new QuantityChange(D(2025, 7, 1), 20m)] };
        var now = BillingScenario.Alfa with { Subscriptions = BillingScenario.Alfa.Subscriptions.SetItem(0, antivirus) };

        var lines = Adjustments.Compute(Lines(now), closed);

        Assert.All(lines, l => Assert.Equal("s.13", l.ServiceId));
        Assert.Equal(60.00m, Money.Sum(lines.Select(l => l.Amount)).Euros);
    }
}
