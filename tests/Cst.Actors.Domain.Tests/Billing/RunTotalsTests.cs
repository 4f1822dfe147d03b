using Cst.Actors.Domain.Billing;
using Cst.Actors.Domain.Pricing;

namespace Cst.Actors.Domain.Tests.Billing;

/// <summary>Run totals of the hand-worked scenario (arithmetic in <see cref="BillingScenario"/>).</summary>
public class RunTotalsTests
{
    [Fact]
    public void Statements_SmallMultiEnteYear_MatchTheHandWorkedTotals()
    {
        var statements = BillingScenario.Statements();

        Assert.Equal([783.13m, 1500.00m, 761.00m], statements.Select(s => s.Total.Euros));
    }

    [Fact]
    public void Of_SmallMultiEnteYear_GivesGrandTotalCountsAndBreakdowns()
    {
        var totals = RunTotals.Of(BillingScenario.Year, BillingRunMode.Final, 1, BillingScenario.Statements());

        // 783.13 + 1,500.00 + 761.00 = 3,044.13
        Assert.Equal(3044.13m, totals.GrandTotal.Euros);
        Assert.Equal(3, totals.Enti);
        Assert.Equal(8, totals.Lines);
        Assert.Equal(
            ["quota 2550.00 (3)", "s.5 100.00 (1)", "s.7 200.00 (1)", "s.11 14.13 (2)", "s.13 180.00 (1)"],
            totals.ByService.Select(r => $"{r.Key} {r.Amount} ({r.Lines})"));
        Assert.Equal(["cst-padova/2020-10 3044.13 (8)"], totals.ByListinoVersion.Select(r => $"{r.Key} {r.Amount} ({r.Lines})"));
    }

    [Fact]
    public void Of_Breakdowns_EachSumToTheGrandTotal()
    {
        var totals = RunTotals.Of(BillingScenario.Year, BillingRunMode.Final, 1, BillingScenario.Statements());

        Assert.Equal(totals.GrandTotal, Money.Sum(totals.ByService.Select(r => r.Amount)));
        Assert.Equal(totals.GrandTotal, Money.Sum(totals.ByListinoVersion.Select(r => r.Amount)));
        Assert.Equal(totals.Lines, totals.ByService.Sum(r => r.Lines));
    }

    [Fact]
    public void Of_NoStatements_IsZero()
    {
        var totals = RunTotals.Of(2025, BillingRunMode.Preview, 0, []);

        Assert.Equal(Money.Zero, totals.GrandTotal);
        Assert.Equal(0, totals.Enti);
        Assert.Empty(totals.ByService);
    }

    [Fact]
    public void Assign_TwoLinesWithTheSameBaseKey_AreToldApartByOccurrence()
    {
        // Two SMS records on the same day give two single-day lines of the same component: 100 x 0.05 = 5.00 each.
        var history = BillingScenario.Alfa with
        {
            Subscriptions =
            [
                new Subscription("intranet", "s.2", Pricing.PricingTestData.D(2024, 1, 1))
                {
                    Variant = "intranet",
                    Consumption =
                    [
                        new ConsumptionRecord(Pricing.PricingTestData.D(2025, 5, 5), 100m, "sms"),
                        new ConsumptionRecord(Pricing.PricingTestData.D(2025, 5, 5), 100m, "sms"),
                    ],
                },
            ],
        };

        var lines = LineKeys.Assign(StatementCalculator.Compute(Pricing.PricingTestData.Padova, history, 2025));
        var sms = lines.Where(l => l.ComponentId == "sms").ToList();

        Assert.Equal(2, sms.Count);
        Assert.Equal("intranet|s.2|sms|2025-05-05|2025-05-06", sms[0].LineKey);
        Assert.Equal("intranet|s.2|sms|2025-05-05|2025-05-06#2", sms[1].LineKey);
        Assert.Equal(Enumerable.Range(1, lines.Count), lines.Select(l => l.LineNo));
        Assert.Equal("-|quota|quota-associativa|2025-01-01|2026-01-01", lines[0].LineKey);
    }
}
