using Cst.Actors.Domain.Billing;
using Cst.Actors.Domain.Pricing;
using static Cst.Actors.Domain.Tests.Pricing.PricingTestData;

namespace Cst.Actors.Domain.Tests.Billing;

/// <summary>The preview rule: what is recorded today, projected to 31 December and, for next year, renewed.</summary>
public class PreviewProjectionTests
{
    [Fact]
    public void Compute_YearOver_EqualsTheStatement()
    {
        var preview = PreviewProjection.Compute(Padova, BillingScenario.Alfa, 2025);

        Assert.Equal(StatementCalculator.Compute(Padova, BillingScenario.Alfa, 2025).Lines, preview.Lines);
    }

    [Fact]
    public void Compute_NextYear_RenewsActiveServicesAndProjectsTheLatestPopulation()
    {
        // Preview of 2026 made in 2025, population of 2026 not yet recorded: quota from 2025's 3,000 = 600.00;
        // antivirus 12 x 15.00 = 180.00 and the standard mailbox 7.50 renew for the whole year: 787.50.
        var preview = PreviewProjection.Compute(Padova, BillingScenario.Alfa, 2026);

        Assert.Equal(787.50m, preview.Total.Euros);
        var quota = Assert.Single(preview.Lines, l => l.ServiceId == StatementCalculator.MembershipServiceId);
        Assert.Contains("popolazione al 1° gennaio 2026 non ancora registrata: stimata su quella del 2025", quota.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_NextYear_LeavesOutAServiceWithARecordedDisdetta()
    {
        // A disdetta received on 10 October 2025 ends the mailbox on 1 January 2026: 600.00 + 180.00 = 780.00.
        var mailbox = BillingScenario.Alfa.Subscriptions[1] with { DisdettaReceivedOn = D(2025, 10, 10) };
        var history = BillingScenario.Alfa with { Subscriptions = BillingScenario.Alfa.Subscriptions.SetItem(1, mailbox) };

        Assert.Equal(780.00m, PreviewProjection.Compute(Padova, history, 2026).Total.Euros);
    }

    [Fact]
    public void Project_PopulationRecorded_IsUsedAsItIs()
    {
        var alfa = BillingScenario.Alfa;

        var (history, from) = PreviewProjection.Project(alfa, 2024);

        Assert.Null(from);
        Assert.Same(alfa, history);
    }

    [Fact]
    public void Project_NoEarlierPopulation_LeavesTheHistoryForThePricingToRefuse()
    {
        var history = BillingScenario.Alfa with { Population = [] };

        Assert.Throws<MissingPopulationException>(() => PreviewProjection.Compute(Padova, history, 2026));
    }

    [Fact]
    public void LatestYear_IsNextYear() => Assert.Equal(2027, PreviewProjection.LatestYear(D(2026, 12, 1)));
}
