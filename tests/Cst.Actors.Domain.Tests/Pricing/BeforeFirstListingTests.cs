using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Pricing;
using static Cst.Actors.Domain.Tests.Pricing.PricingTestData;

namespace Cst.Actors.Domain.Tests.Pricing;

/// <summary>
/// DESIGN rule 13, last sentence: facts dated before the first listino version that lists their service (Padova
/// history older than the Disciplinare of 1 October 2020, which first lists s.11, s.13, s.15, s.16...) are recorded with
/// their true dates and not billed; from that version on they are billed as usual, and never raise an error.
/// </summary>
public sealed class BeforeFirstListingTests
{
    [Fact]
    public void Compute_MailboxOlderThanItsFirstListing_IsBilledOnlyFromThatVersion()
    {
        // PEC standard (s.11, EUR 7.50/yr) active since 2 May 2018. 2018 and 2019: nothing (the FAQ version in force
        // lists only s.12). 2020: from 1 October, Oct-Dec = 3 months, 7.50 x 3 / 12 = 1.875 -> 1.88. 2025: 7.50.
        var mailbox = Sub("s.11", "pec-standard", "2018-05-02");

        Assert.DoesNotContain(Bill(2018, mailbox).Lines, l => l.ServiceId == "s.11");
        Assert.DoesNotContain(Bill(2019, mailbox).Lines, l => l.ServiceId == "s.11");
        var line = Assert.Single(Bill(2020, mailbox).Lines, l => l.ServiceId == "s.11");
        Assert.Equal((D("2020-10-01"), D("2021-01-01"), (int?)3), (line.PeriodStart, line.PeriodEnd, line.Months));
        Assert.Equal(1.88m, line.Amount.Euros);
        Assert.Equal("2020-10", line.ListinoVersion);
        Assert.Equal(7.50m, ServiceTotal(Bill(2025, mailbox), "s.11"));
    }

    [Fact]
    public void Compute_BusinessKeyIssuedBeforeItsFirstListing_BillsOnlyLaterRenewals()
    {
        // Issued 1 March 2019 (EUR 38 one-off: before s.11 was listed, not billed), renewed 28 February 2022 (the day
        // before the 1 March 2022 expiry: EUR 13) and 27 February 2025 (before 28 February 2025: EUR 13).
        var device = Sub("s.11", "businesskey", "2019-03-01") with { Renewals = [D("2022-02-28"), D("2025-02-27")] };

        Assert.Equal(0m, ServiceTotal(Bill(2019, device), "s.11"));
        Assert.Equal(0m, ServiceTotal(Bill(2020, device), "s.11"));
        Assert.Equal(13m, ServiceTotal(Bill(2022, device), "s.11"));
        Assert.Equal(13m, ServiceTotal(Bill(2025, device), "s.11"));
    }

    [Fact]
    public void Compute_RenewalBeforeFirstListing_StillAnchorsTheCertificateChain()
    {
        // Issued 10 May 2016, renewed 9 May 2019 (not billed; valid to 9 May 2022), renewed 8 May 2022: in time, EUR 13.
        // Were the 2019 renewal ignored, the 2016 certificate would have expired on 10 May 2019.
        var device = Sub("s.11", "businesskey", "2016-05-10") with { Renewals = [D("2019-05-09"), D("2022-05-08")] };

        Assert.Equal(13m, ServiceTotal(Bill(2022, device), "s.11"));
    }

    [Fact]
    public void Compute_AntivirusOlderThanItsFirstListing_IsBilledFromThatVersion()
    {
        // 12 clients of antivirus base (EUR 15/yr each) since 1 January 2019: 2020 from 1 October, 3 months:
        // 12 x 15 x 3 / 12 = 45.00. The 2020 quota: the FAQ version in force on 1 January has none, so none.
        var statement = Bill(2020, Sub("s.13", "base", "2019-01-01", 12m));

        Assert.Equal(45m, ServiceTotal(statement, "s.13"));
        Assert.Equal(45m, statement.Total.Euros);
    }

    [Fact]
    public void Compute_FirstYearPriceAndConsumptionBeforeFirstListing_AreNotBilled()
    {
        // s.16 DPM from 4 May 2020: its EUR 900 first-year price belongs to a date no version lists s.16 on; 2021 is its
        // second year: EUR 500. Global Service days recorded in 2019 without a component: recorded, not billed, no error.
        var dpm = Sub("s.16", null, "2020-05-04");
        var days = Sub("s.15", null, "2019-01-01") with { Consumption = [new(D("2019-06-01"), 2m)] };

        Assert.Equal(0m, ServiceTotal(Bill(2020, dpm), "s.16"));
        Assert.Equal(500m, ServiceTotal(Bill(2021, dpm), "s.16"));
        Assert.Equal(0m, ServiceTotal(Bill(2019, days), "s.15"));
    }

    [Fact]
    public void Compute_FactsBeforeTheListinosFirstVersion_AreNotBilled()
    {
        // Conservazione (s.12) from 1 January 2012, before the FAQ version of 1 January 2013: 2012 has no line and no
        // quota; 2013 bills the FAQ's EUR 100/yr for the whole year, not the 2012 start-up (EUR 550).
        var conservazione = Sub("s.12", "portale", "2012-01-01");

        Assert.Empty(Bill(2012, conservazione).Lines);
        Assert.Equal(100m, Bill(2013, conservazione).Total.Euros);
    }

    [Theory]
    [InlineData("2018-05-02", "pec-standard")]
    [InlineData("2019-03-01", "businesskey")]
    [InlineData("2012-01-01", "pec-standard")]
    public void CatalogueChecks_DateBeforeFirstListing_ChecksAgainstTheFirstVersionListingTheService(string on, string variant)
    {
        var service = CatalogueChecks.Service(Padova, "s.11", variant, D(on));

        Assert.Equal("s.11", service.Id);
        Assert.Equal(D("2020-10-01"), Padova.FirstListing("s.11")!.EffectiveFrom);
    }

    [Fact]
    public void CatalogueChecks_BeforeFirstListing_StillRefusesAnUnknownServiceOrVariant()
    {
        Assert.Contains("s.99", Assert.Throws<UnknownCatalogueItemException>(
            () => CatalogueChecks.Service(Padova, "s.99", null, D("2018-05-02"))).Message, StringComparison.Ordinal);
        Assert.Contains("pec-platinum", Assert.Throws<UnknownCatalogueItemException>(
            () => CatalogueChecks.Service(Padova, "s.11", "pec-platinum", D("2018-05-02"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CatalogueChecks_InAVersionsSpan_UsesThatVersion()
    {
        // 2019 lies in the FAQ version's span, which lists s.12: its variants, not the Disciplinare's, are checked.
        Assert.Equal("faq", Padova.VersionForFact("s.12", D("2019-06-01"))!.Id);
        Assert.Equal("2020-10", Padova.VersionForFact("s.12", D("2021-06-01"))!.Id);
    }
}
