using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Pricing;
using static Cst.Actors.Domain.Tests.Pricing.PricingTestData;

namespace Cst.Actors.Domain.Tests.Pricing;

/// <summary>
/// DESIGN section 2, rules 1-13, each with hand-worked cases and the edges of the brief. Unless stated, the ente has
/// 3,000 inhabitants (quota 3000 x 0.20 = 600.00) and antivirus base (s.13) is 15.00/yr per client, so 12 clients
/// cost 180.00 a year, 15.00 a month.
/// </summary>
public class BillingRuleTests
{
    private static Subscription Antivirus(string activatedOn, decimal clients = 12m) => Sub("s.13", "base", activatedOn, clients);

    // ---- Rule 1: billing year = calendar year; no VAT lines.

    [Fact]
    public void Compute_OneOffOfPreviousYear_IsNotOnThisYearsStatement()
    {
        // s.7 activated 2024-12-31: its 200.00 belongs to 2024 only.
        var sit = Sub("s.7", null, "2024-12-31");

        Assert.Equal(200m, ServiceTotal(Bill(2024, sit), "s.7"));
        Assert.DoesNotContain(Bill(2025, sit).Lines, l => l.ServiceId == "s.7");
    }

    [Fact]
    public void Compute_Statement_HoldsOnlyQuotaAndServiceLines()
    {
        // A statement is quota + service contributions; 600.00 + 180.00 = 780.00 and nothing else (no VAT line).
        var statement = Bill(2025, Antivirus("2024-01-01"));

        Assert.Equal(2025, statement.Year);
        Assert.All(statement.Lines, l => Assert.Contains(l.ServiceId, new[] { StatementCalculator.MembershipServiceId, "s.13" }));
        Assert.Equal(780m, statement.Total.Euros);
    }

    // ---- Rule 2: each line rounded half away from zero; total = sum of rounded lines.

    [Fact]
    public void Compute_LineEndingInHalfCent_RoundsAwayFromZero()
    {
        // PEC standard 7.50/yr from 1 August 2025: Aug-Dec = 5 months; 7.50 x 5 / 12 = 3.125 -> 3.13
        var mailbox = Sub("s.11", "pec-standard", "2025-08-01");

        Assert.Equal(3.13m, Amount(Bill(2025, mailbox), "s.11", "pec-standard"));
    }

    [Fact]
    public void Compute_Total_IsSumOfRoundedLinesNotRoundedSum()
    {
        // Two such mailboxes: 3.13 + 3.13 = 6.26 (rounding the exact 6.25 would lose a cent); + quota 600.00
        var first = Sub("s.11", "pec-standard", "2025-08-01") with { Id = "a" };
        var second = Sub("s.11", "pec-standard", "2025-08-01") with { Id = "b" };

        var statement = Bill(2025, first, second);

        Assert.Equal(6.26m, ServiceTotal(statement, "s.11"));
        Assert.Equal(606.26m, statement.Total.Euros);
    }

    // ---- Rule 3: monthly pro-rata, more than half of the month's days.

    [Theory]
    // April has 30 days: from 15 April = 16 days, counts; Apr-Dec = 9 months -> 180 x 9 / 12 = 135.00
    [InlineData("2025-04-15", 9, "135.00")]
    // from 16 April = 15 of 30 days, does not count; May-Dec = 8 -> 120.00
    [InlineData("2025-04-16", 8, "120.00")]
    // February 2023 (28 days): from 14 Feb = 15 of 28, counts; Feb-Dec = 11 -> 165.00
    [InlineData("2023-02-14", 11, "165.00")]
    // February 2024 (leap, 29 days): from 16 Feb = 14 of 29, does not count; Mar-Dec = 10 -> 150.00
    [InlineData("2024-02-16", 10, "150.00")]
    // February 2024: from 15 Feb = 15 of 29, counts; Feb-Dec = 11 -> 165.00
    [InlineData("2024-02-15", 11, "165.00")]
    // 1 January: the whole year, 12 months -> 180.00
    [InlineData("2025-01-01", 12, "180.00")]
    public void Compute_ActivationMidMonth_CountsMonthOnlyWhenMoreThanHalfActive(string activatedOn, int months, string expected)
    {
        var statement = Bill(D(activatedOn).Year, Antivirus(activatedOn));

        var line = Assert.Single(Lines(statement, "s.13", "modulo-base"));
        Assert.Equal(months, line.Months);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), line.Amount.Euros);
    }

    [Theory]
    // ceasing on 16 April: active 1-15 April = 15 of 30, April not counted; Jan-Mar = 3 -> 45.00
    [InlineData("2025-04-16", "45.00")]
    // ceasing on 17 April: 16 of 30 days, counted; Jan-Apr = 4 -> 60.00
    [InlineData("2025-04-17", "60.00")]
    public void Compute_CessationMidMonth_CountsMonthOnlyWhenMoreThanHalfActive(string ceasedOn, string expected)
    {
        var antivirus = Antivirus("2024-01-01") with { CeasedOn = D(ceasedOn) };

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Amount(Bill(2025, antivirus), "s.13", "modulo-base"));
    }

    [Fact]
    public void Compute_ActivationOn31December_ChargesOneOffButNoMonth()
    {
        // s.12 on 31 December 2025: one day of 31 is not a month; the 508.00 start-up falls in 2025;
        // 2026 is a full year of 1 GB at 98.00.
        var conservazione = Sub("s.12", "portale", "2025-12-31");

        var first = Bill(2025, conservazione);
        var second = Bill(2026, conservazione);

        Assert.Equal(508m, Amount(first, "s.12", "avvio"));
        Assert.Empty(Lines(first, "s.12", "spazio"));
        Assert.Equal(98m, Amount(second, "s.12", "spazio"));
        Assert.Equal(0m, Amount(second, "s.12", "avvio"));
    }

    [Fact]
    public void Compute_AnyDayCounting_CountsAMonthWithOneDay()
    {
        // CIT Brescia counts a month once any day is used (CHOICES C14). Two mailboxes from 30 April 2025: the second
        // pays activation 36.00 and 36 x 9 / 12 = 27.00 for Apr-Dec.
        var history = new EnteHistory("comune-bs", "cit-brescia", D(2015, 10, 1))
        {
            Subscriptions = [new Subscription("pec", "pec", D(2025, 4, 30)) { Quantity = 2m }],
        };

        var statement = StatementCalculator.Compute(Brescia, history, 2025);

        Assert.Equal(36m, Amount(statement, "pec", "attivazione"));
        var line = Assert.Single(Lines(statement, "pec", "mantenimento"));
        Assert.Equal(9, line.Months);
        Assert.Equal(27m, line.Amount.Euros);
    }

    // ---- Rule 4: full-year services ignore the activation date.

    [Theory]
    [InlineData("2025-01-01")]
    [InlineData("2025-07-15")]
    [InlineData("2025-12-31")]
    public void Compute_ProviderPackage_IsDueInFullWhateverTheActivationDate(string activatedOn)
    {
        // s.5: 100.00 "valido fino al 31 dicembre ... indipendentemente dalla data di attivazione"
        Assert.Equal(100m, Amount(Bill(2025, Sub("s.5", "pacchetto", activatedOn)), "s.5", "pacchetto-standard"));
    }

    // ---- Rule 5: one-off fees in the year of the event, never pro-rated.

    [Fact]
    public void Compute_OneOffLateInYear_IsNotProRated()
    {
        // s.19 installation on 1 December: the whole 1,047.00 in that year, and nothing the next year.
        var logs = Sub("s.19", null, "2025-12-01");

        Assert.Equal(1047m, Amount(Bill(2025, logs), "s.19", "installazione"));
        Assert.Equal(0m, Amount(Bill(2026, logs), "s.19", "installazione"));
    }

    // ---- Rule 6: from the second year; first-year price.

    [Fact]
    public void Compute_FromSecondYear_NothingInActivationYear()
    {
        // s.6 activated 2025: 2,000.00 site, no maintenance in 2025; 150.00 in 2026.
        var site = Sub("s.6", "standard", "2025-02-01");

        Assert.Equal(0m, Amount(Bill(2025, site), "s.6", "manutenzione"));
        Assert.Equal(150m, Amount(Bill(2026, site), "s.6", "manutenzione"));
    }

    [Fact]
    public void Compute_FromSecondYear_ProRatedInTheYearItEnds()
    {
        // s.6 ceasing on 1 July 2027: Jan-Jun = 6 months; 150 x 6 / 12 = 75.00
        var site = Sub("s.6", "standard", "2025-02-01") with { CeasedOn = D("2027-07-01") };

        var line = Assert.Single(Lines(Bill(2027, site), "s.6", "manutenzione"));
        Assert.Equal(6, line.Months);
        Assert.Equal(75m, line.Amount.Euros);
    }

    [Fact]
    public void Compute_FirstYearPrice_ThenYearlyMaintenance()
    {
        // s.16 DPM activated 15 November 2025: 900.00 in full for 2025, no 500; 2026: 500.00, no 900.
        var dpm = Sub("s.16", null, "2025-11-15");

        var first = Bill(2025, dpm);
        var second = Bill(2026, dpm);

        Assert.Equal(900m, Amount(first, "s.16", "primo-anno"));
        Assert.Equal(0m, Amount(first, "s.16", "manutenzione"));
        Assert.Equal(500m, Amount(second, "s.16", "manutenzione"));
        Assert.Equal(0m, Amount(second, "s.16", "primo-anno"));
    }

    // ---- Rule 7: per unit, per started block, quantity changes split the year.

    [Fact]
    public void Compute_QuantityIncreaseOnFirstOfMonth_AddsAPeriodForTheAddedUnits()
    {
        // 12 clients all year, 24 from 1 July: the first 12 for 12 months, 15 x 12 x 12 / 12 = 180.00;
        // the 12 added for Jul-Dec, 15 x 12 x 6 / 12 = 90.00; 270.00 in all (= 12 clients for 6 months + 24 for 6).
        var antivirus = Antivirus("2024-01-01") with { QuantityChanges = [new(D("2025-07-01"), 24m)] };

        var lines = Lines(Bill(2025, antivirus), "s.13", "modulo-base");

        Assert.Equal(2, lines.Count);
        Assert.Equal((D("2025-01-01"), D("2026-01-01"), 12m, 12, 180m),
            (lines[0].PeriodStart, lines[0].PeriodEnd, lines[0].Quantity, lines[0].Months ?? 0, lines[0].Amount.Euros));
        Assert.Equal((D("2025-07-01"), D("2026-01-01"), 12m, 6, 90m),
            (lines[1].PeriodStart, lines[1].PeriodEnd, lines[1].Quantity, lines[1].Months ?? 0, lines[1].Amount.Euros));
    }

    [Fact]
    public void Compute_QuantityDecreaseMidYear_EndsThePeriodOfTheRemovedUnits()
    {
        // 24 clients, 12 from 1 July: 12 kept all year 180.00; 12 removed counted Jan-Jun, 15 x 12 x 6 / 12 = 90.00
        var antivirus = Antivirus("2024-01-01", 24m) with { QuantityChanges = [new(D("2025-07-01"), 12m)] };

        var lines = Lines(Bill(2025, antivirus), "s.13", "modulo-base");

        Assert.Equal((D("2025-01-01"), D("2025-07-01"), 6), (lines[1].PeriodStart, lines[1].PeriodEnd, lines[1].Months ?? 0));
        Assert.Equal(270m, lines.Sum(l => l.Amount.Euros));
    }

    [Fact]
    public void Compute_QuantityChangeMidMonth_AddedUnitsCountThatMonthWhenMoreThanHalf()
    {
        // 12 -> 24 on 16 July: the added 12 are active 16 of 31 July days, so July counts for them:
        // 180.00 + 15 x 12 x 6 / 12 = 90.00 = 270.00
        var antivirus = Antivirus("2024-01-01") with { QuantityChanges = [new(D("2025-07-16"), 24m)] };

        var lines = Lines(Bill(2025, antivirus), "s.13", "modulo-base");

        Assert.Equal(new int?[] { 12, 6 }, lines.Select(l => l.Months));
        Assert.Equal(270m, lines.Sum(l => l.Amount.Euros));
    }

    [Fact]
    public void Compute_QuantityChangeOn16thOf30DayMonth_AddedUnitsSkipThatMonth()
    {
        // 12 -> 24 on 16 April: the added 12 are active 15 of 30 April days, not more than half: May-Dec = 8 months.
        // 180.00 + 15 x 12 x 8 / 12 = 120.00 = 300.00, exactly as if the 12 new clients were a separate contract.
        var antivirus = Antivirus("2024-01-01") with { QuantityChanges = [new(D("2025-04-16"), 24m)] };
        var separate = Antivirus("2025-04-16") with { Id = "second-contract" };

        var lines = Lines(Bill(2025, antivirus), "s.13", "modulo-base");

        Assert.Equal(new int?[] { 12, 8 }, lines.Select(l => l.Months));
        Assert.Equal(300m, lines.Sum(l => l.Amount.Euros));
        Assert.Equal(300m, ServiceTotal(Bill(2025, Antivirus("2024-01-01"), separate), "s.13"));
    }

    [Fact]
    public void Compute_CustomDomainGrowsFrom10To11Mailboxes_SecondPackFromThen()
    {
        // s.11 packs of 10: 10 mailboxes = 1 pack all year, 60.00; the 11th mailbox from 1 July starts a second pack:
        // 60 x 1 x 6 / 12 = 30.00; 90.00 in all
        var packs = Sub("s.11", "pec-personalizzate", "2024-01-01", 10m) with { QuantityChanges = [new(D("2025-07-01"), 11m)] };

        var lines = Lines(Bill(2025, packs), "s.11", "pacchetto-10-pec");

        Assert.Equal(new[] { 1m, 1m }, lines.Select(l => l.Quantity));
        Assert.Equal(new[] { 60m, 30m }, lines.Select(l => l.Amount.Euros));
    }

    [Fact]
    public void Compute_BackupHosting_PerStartedTerabytePerMonth()
    {
        // s.18: 0.5 TB from 10 October: 22 of 31 days counts October; Oct-Dec 3 months x 1 TB x 20 = 60.00
        var hosting = Sub("s.18", "hosting-backup", "2025-10-10", 0.5m);

        var line = Assert.Single(Lines(Bill(2025, hosting), "s.18", "hosting-backup"));
        Assert.Equal((1m, 3, 60m), (line.Quantity, line.Months ?? 0, line.Amount.Euros));
    }

    [Fact]
    public void Compute_PerUnitOneOff_ChargesAddedUnits()
    {
        // s.9 workstations 265.00 each: 2 at activation in 2024, 3 from 1 March 2025 -> 2025 charges 1 x 265 = 265.00
        var library = Sub("s.9", "catalogo", "2024-09-01", 2m) with { QuantityChanges = [new(D("2025-03-01"), 3m)] };

        Assert.Equal(530m, Amount(Bill(2024, library), "s.9", "postazione"));
        Assert.Equal(265m, Amount(Bill(2025, library), "s.9", "postazione"));
    }

    [Fact]
    public void Compute_TierChangeMidYear_ProRatesEachTier()
    {
        // s.11 standard to gold on 1 July: 7.50 x 6 / 12 = 3.75 + 22 x 6 / 12 = 11.00 = 14.75
        var mailbox = Sub("s.11", "pec-standard", "2024-01-01") with { VariantChanges = [new(D("2025-07-01"), "pec-gold")] };

        var statement = Bill(2025, mailbox);

        Assert.Equal(3.75m, Amount(statement, "s.11", "pec-standard"));
        Assert.Equal(11m, Amount(statement, "s.11", "pec-gold"));
    }

    // Rule 7, a change of tier inside a month: the month counts once, for the tier of most of its days (tie: the later).
    // Seed 001 s.11: PEC standard 7.50/yr, silver 15.00/yr; s.13 antivirus base 15.00, avanzato 25.00 per client a year.

    [Fact]
    public void Compute_TierChangeOnJune16_BillsTwelveMonths()
    {
        // Standard to silver on 16 June 2026: 15 of June's 30 days each, a tie, so June is silver's.
        // Standard Jan-May 5 months: 7.50 x 5 / 12 = 3.125 -> 3.13; silver Jun-Dec 7 months: 15 x 7 / 12 = 8.75.
        // 5 + 7 = 12 months; 3.13 + 8.75 = 11.88 (counting each tier's 15 days alone gave 11 months, 10.63).
        var mailbox = Sub("s.11", "pec-standard", "2024-01-01") with { VariantChanges = [new(D("2026-06-16"), "pec-silver")] };

        var statement = Bill(2026, mailbox);

        var standard = Assert.Single(Lines(statement, "s.11", "pec-standard"));
        var silver = Assert.Single(Lines(statement, "s.11", "pec-silver"));
        Assert.Equal((5, 3.13m), (standard.Months ?? 0, standard.Amount.Euros));
        Assert.Equal((7, 8.75m), (silver.Months ?? 0, silver.Amount.Euros));
        Assert.Equal(11.88m, ServiceTotal(statement, "s.11"));
    }

    [Fact]
    public void Compute_TierChangeOnJune17_MonthGoesToTierOfMostDays()
    {
        // Standard to silver on 17 June 2026: standard 16 of 30 June days, silver 14, so June is standard's.
        // Standard Jan-Jun 6 months: 7.50 x 6 / 12 = 3.75; silver Jul-Dec 6 months: 15 x 6 / 12 = 7.50; total 11.25.
        var mailbox = Sub("s.11", "pec-standard", "2024-01-01") with { VariantChanges = [new(D("2026-06-17"), "pec-silver")] };

        var statement = Bill(2026, mailbox);

        Assert.Equal(3.75m, Amount(statement, "s.11", "pec-standard"));
        Assert.Equal(7.50m, Amount(statement, "s.11", "pec-silver"));
    }

    [Fact]
    public void Compute_TierChangeOnFebruary15_TieGoesToLaterTier()
    {
        // February 2026 has 28 days: standard 1-14, silver 15-28, 14 each, a tie: February is silver's.
        // Standard January: 7.50 x 1 / 12 = 0.625 -> 0.63; silver Feb-Dec 11 months: 15 x 11 / 12 = 13.75.
        var mailbox = Sub("s.11", "pec-standard", "2024-01-01") with { VariantChanges = [new(D("2026-02-15"), "pec-silver")] };

        var statement = Bill(2026, mailbox);

        Assert.Equal(0.63m, Amount(statement, "s.11", "pec-standard"));
        Assert.Equal(13.75m, Amount(statement, "s.11", "pec-silver"));
    }

    [Fact]
    public void Compute_ActivationAndTierChangeInOneMonth_CountsTheMonthOnceForTheLongerTier()
    {
        // Activated standard on 10 June 2026, silver from 20 June: active 21 of 30 June days (counts once);
        // standard 10 days, silver 11, so June is silver's: silver Jun-Dec 7 months 15 x 7 / 12 = 8.75, no standard line.
        var mailbox = Sub("s.11", "pec-standard", "2026-06-10") with { VariantChanges = [new(D("2026-06-20"), "pec-silver")] };

        var statement = Bill(2026, mailbox);

        Assert.Empty(Lines(statement, "s.11", "pec-standard"));
        Assert.Equal(8.75m, Amount(statement, "s.11", "pec-silver"));
    }

    [Fact]
    public void Compute_VariantChangeOfHostedServiceMidMonth_BillsEveryMonth()
    {
        // Antivirus for 12 clients, base to avanzato on 16 April 2025 (15 of 30 days each: April is avanzato's).
        // Base Jan-Mar: 12 x 15 x 3 / 12 = 45.00; avanzato Apr-Dec: 12 x 25 x 9 / 12 = 225.00; 270.00 for 12 months.
        var antivirus = Antivirus("2024-01-01") with { VariantChanges = [new(D("2025-04-16"), "avanzato")] };

        var statement = Bill(2025, antivirus);

        Assert.Equal(45m, Amount(statement, "s.13", "modulo-base"));
        Assert.Equal(225m, Amount(statement, "s.13", "modulo-avanzato"));
        Assert.Equal(12, statement.Lines.Where(l => l.ServiceId == "s.13").Sum(l => l.Months ?? 0));
    }

    [Fact]
    public void Compute_TierChangeToCustomDomain_ChargesItsOneOffThen()
    {
        // Moving to custom-domain packs on 1 March 2025 brings the 60.00 domain certification into 2025.
        var mailbox = Sub("s.11", "pec-standard", "2024-01-01") with { VariantChanges = [new(D("2025-03-01"), "pec-personalizzate")] };

        Assert.Equal(60m, Amount(Bill(2025, mailbox), "s.11", "certificazione-dominio"));
    }

    // ---- Rule 8: consumption in the year recorded.

    [Fact]
    public void Compute_Consumption_BilledInYearRecorded()
    {
        // A Global Service BASE day recorded on 31 December 2025 is 288.00 of 2025, nothing of 2026.
        var gs = Sub("s.15", null, "2025-01-01") with { Consumption = [new(D("2025-12-31"), 1m, "giornata-base")] };

        Assert.Equal(288m, Amount(Bill(2025, gs), "s.15", "giornata-base"));
        Assert.Equal(0m, Amount(Bill(2026, gs), "s.15", "giornata-base"));
    }

    [Fact]
    public void Compute_ConsumptionWithoutComponentOnServiceWithTwo_IsRefused()
    {
        var gs = Sub("s.15", null, "2025-01-01") with { Consumption = [new(D("2025-03-01"), 1m)] };

        Assert.Throws<UnpriceableRecordException>(() => Bill(2025, gs));
    }

    // ---- Rule 9: included at 0.00; on quotation.

    [Fact]
    public void Compute_IncludedService_AppearsAtZero()
    {
        var helpdesk = Sub("s.1", null, "2025-05-05");

        var line = Assert.Single(Lines(Bill(2025, helpdesk), "s.1", "helpdesk"));
        Assert.Equal(Money.Zero, line.Amount);
        Assert.Equal((D("2025-05-05"), D("2026-01-01")), (line.PeriodStart, line.PeriodEnd));
    }

    [Fact]
    public void Compute_OnQuotationWithoutAgreedPrice_IsRefused()
    {
        Assert.Throws<MissingAgreedPriceException>(() => Bill(2025, Sub("s.10", null, "2025-01-01")));
    }

    // ---- Rule 10: membership quota.

    [Theory]
    // 5,000 x 0.20 = 1,000.00
    [InlineData(5000, "1000.00")]
    // 1,000.00 + 1 x 0.10 = 1,000.10
    [InlineData(5001, "1000.10")]
    // 1,000.00 + 5,000 x 0.10 = 1,500.00
    [InlineData(10000, "1500.00")]
    // above 10,000: 1,500.00 flat
    [InlineData(10001, "1500.00")]
    // 1,000.00 + 2,500 x 0.10 = 1,250.00
    [InlineData(7500, "1250.00")]
    // 1 x 0.20
    [InlineData(1, "0.20")]
    [InlineData(250000, "1500.00")]
    public void Compute_MembershipQuota_FollowsPopulationBands(int inhabitants, string expected)
    {
        var history = Ente() with { Population = [new PopulationCount(2025, inhabitants)] };

        var line = Assert.Single(StatementCalculator.Compute(Padova, history, 2025).Lines);

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), line.Amount.Euros);
        Assert.Equal(12, line.Months);
    }

    [Fact]
    public void Compute_MembershipQuota_UsesPopulationAtFirstJanuaryOfBillingYear()
    {
        // 2025 counted 4,000 (800.00), 2026 counts 6,000 (1,000.00 + 100.00 = 1,100.00)
        var history = Ente() with { Population = [new(2025, 4000), new(2026, 6000)] };

        Assert.Equal(1100m, StatementCalculator.Compute(Padova, history, 2026).Total.Euros);
    }

    [Fact]
    public void Compute_MembershipQuota_ProRatedInAdhesionYear()
    {
        // 4,200 inhabitants: 840.00/yr. Adhesion 20 March 2025: 12 of 31 March days, not counted; Apr-Dec 9 -> 630.00
        var history = Ente() with { AdheredOn = D("2025-03-20"), Population = [new(2025, 4200)] };

        var line = Assert.Single(StatementCalculator.Compute(Padova, history, 2025).Lines);
        Assert.Equal((9, 630m), (line.Months ?? 0, line.Amount.Euros));
    }

    [Fact]
    public void Compute_MembershipQuota_ProRatedInWithdrawalYear()
    {
        // 4,200 inhabitants: 840.00/yr. Withdrawal 16 September: 15 of 30 September days, not counted; Jan-Aug 8 -> 560.00
        var history = Ente() with { WithdrawnOn = D("2025-09-16"), Population = [new(2025, 4200)] };

        var line = Assert.Single(StatementCalculator.Compute(Padova, history, 2025).Lines);
        Assert.Equal((8, 560m), (line.Months ?? 0, line.Amount.Euros));
    }

    [Fact]
    public void Compute_NoPopulationForYear_IsRefused()
    {
        var history = Ente() with { Population = [new(2024, 4200)] };

        var error = Assert.Throws<MissingPopulationException>(() => StatementCalculator.Compute(Padova, history, 2025));
        Assert.Contains("2025", error.Message, StringComparison.Ordinal);
    }

    // ---- Rule 11: renewal, disdetta, withdrawal.

    [Fact]
    public void Compute_DisdettaOn31December_EndsServiceWithThatYear()
    {
        // Received 31 Dec 2025: 2025 due in full (180.00), nothing in 2026.
        var antivirus = Antivirus("2024-01-01") with { DisdettaReceivedOn = D("2025-12-31") };

        Assert.Equal(180m, Amount(Bill(2025, antivirus), "s.13", "modulo-base"));
        Assert.Empty(Lines(Bill(2026, antivirus), "s.13", "modulo-base"));
    }

    [Fact]
    public void Compute_DisdettaOn1January_KeepsServiceThatWholeYear()
    {
        // Received 1 Jan 2026: a disdetta of 2026, so 2026 is due in full (180.00) and 2027 is free.
        var antivirus = Antivirus("2024-01-01") with { DisdettaReceivedOn = D("2026-01-01") };

        Assert.Equal(180m, Amount(Bill(2026, antivirus), "s.13", "modulo-base"));
        Assert.Empty(Lines(Bill(2027, antivirus), "s.13", "modulo-base"));
    }

    [Fact]
    public void Compute_WithdrawalMidYear_EndsEveryServiceAtItsDate()
    {
        // Withdrawal 1 July 2025: quota 600 x 6 / 12 = 300.00; antivirus 180 x 6 / 12 = 90.00;
        // site maintenance 150 x 6 / 12 = 75.00; provider package, held since 2021, 100 x 6 / 12 = 50.00 (C15).
        // Total 300 + 90 + 75 + 50 = 515.00.
        var history = Ente(Antivirus("2024-01-01"), Sub("s.6", "standard", "2020-05-01"), Sub("s.5", "pacchetto", "2021-01-01"))
            with { WithdrawnOn = D("2025-07-01") };

        var statement = StatementCalculator.Compute(Padova, history, 2025);

        Assert.Equal(300m, ServiceTotal(statement, StatementCalculator.MembershipServiceId));
        Assert.Equal(90m, ServiceTotal(statement, "s.13"));
        Assert.Equal(75m, ServiceTotal(statement, "s.6"));
        Assert.Equal(50m, ServiceTotal(statement, "s.5"));
        Assert.Equal(515m, statement.Total.Euros);
        Assert.Empty(StatementCalculator.Compute(Padova, history, 2026).Lines);
    }

    [Theory]
    // Rule 11: the recesso ends the s.5 package (100.00/yr, held since 2021) at its date, pro-rated by rule 3.
    // Withdrawal 1 July: active January-June, 6 months -> 100 x 6 / 12 = 50.00
    [InlineData("2025-07-01", 6, "50.00")]
    // Withdrawal 16 July: active 1-15 July = 15 of 31 days, July not counted; Jan-Jun 6 -> 50.00
    [InlineData("2025-07-16", 6, "50.00")]
    // Withdrawal 17 July: 16 of 31 July days, counted; Jan-Jul 7 -> 100 x 7 / 12 = 58.333... -> 58.33
    [InlineData("2025-07-17", 7, "58.33")]
    // Withdrawal 16 January: 15 of 31 January days, not counted; 0 months -> no line, 0.00
    [InlineData("2025-01-16", 0, "0.00")]
    public void Compute_ProviderPackageInWithdrawalYear_IsProRatedToTheWithdrawal(string withdrawnOn, int months, string expected)
    {
        var history = Ente(Sub("s.5", "pacchetto", "2021-01-01")) with { WithdrawnOn = D(withdrawnOn) };

        var lines = Lines(StatementCalculator.Compute(Padova, history, 2025), "s.5", "pacchetto-standard");

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), lines.Sum(l => l.Amount.Euros));
        Assert.Equal(months, lines.Sum(l => l.Months ?? 0));
        Assert.All(lines, l => Assert.Equal(D(withdrawnOn), l.PeriodEnd));
    }

    [Theory]
    // Rule 4 governs the activation year, even when the ente withdraws later that year:
    // activated 20 November, withdrawal 16 December -> 100.00 in full
    [InlineData("2025-11-20", "2025-12-16")]
    // activated 1 January, withdrawal 1 July of the same year -> 100.00 in full (not 6 / 12)
    [InlineData("2025-01-01", "2025-07-01")]
    public void Compute_ProviderPackageActivatedInWithdrawalYear_IsDueInFull(string activatedOn, string withdrawnOn)
    {
        var history = Ente(Sub("s.5", "pacchetto", activatedOn)) with { WithdrawnOn = D(withdrawnOn) };

        var line = Assert.Single(Lines(StatementCalculator.Compute(Padova, history, 2025), "s.5", "pacchetto-standard"));
        Assert.Equal(100m, line.Amount.Euros);
        Assert.Null(line.Months);
    }

    [Fact]
    public void Compute_ProviderPackageWithDisdetta_IsDueInFullThatYear()
    {
        // Rule 11: a disdetta received 10 March 2025 keeps the package to 31 December: 2025 is 100.00, 2026 nothing.
        var package = Sub("s.5", "pacchetto", "2021-01-01") with { DisdettaReceivedOn = D("2025-03-10") };

        Assert.Equal(100m, Amount(Bill(2025, package), "s.5", "pacchetto-standard"));
        Assert.Empty(Lines(Bill(2026, package), "s.5", "pacchetto-standard"));
    }

    [Fact]
    public void Compute_ProviderPackageWithDisdettaThenWithdrawal_IsProRatedToTheWithdrawal()
    {
        // Disdetta received 10 March 2025 (it would end the package on 1 January 2026), then withdrawal on 1 July 2025:
        // the withdrawal ends it first, so Jan-Jun 6 months -> 100 x 6 / 12 = 50.00.
        var history = Ente(Sub("s.5", "pacchetto", "2021-01-01") with { DisdettaReceivedOn = D("2025-03-10") })
            with { WithdrawnOn = D("2025-07-01") };

        Assert.Equal(50m, Amount(StatementCalculator.Compute(Padova, history, 2025), "s.5", "pacchetto-standard"));
    }

    [Fact]
    public void Compute_ProviderPackageCeasedMidYear_IsDueInFull()
    {
        // A cessation other than the ente's withdrawal leaves rule 4 alone: ceasing 1 July 2025 -> 100.00.
        var package = Sub("s.5", "pacchetto", "2021-01-01") with { CeasedOn = D("2025-07-01") };

        Assert.Equal(100m, Amount(Bill(2025, package), "s.5", "pacchetto-standard"));
    }

    [Fact]
    public void Compute_SubscriptionAfterWithdrawal_IsRefused()
    {
        var history = Ente(Antivirus("2025-08-01")) with { WithdrawnOn = D("2025-07-01") };

        Assert.Throws<InvalidHistoryException>(() => StatementCalculator.Compute(Padova, history, 2025));
    }

    // ---- Rule 12: firma devices.

    [Fact]
    public void Compute_BusinessKeyRenewedTheDayBeforeExpiry_IsAccepted()
    {
        // Issued 1 March 2023, expires 1 March 2026; renewal on 28 February 2026 costs 13.00 and runs to 28 February 2029,
        // so a second renewal on 27 February 2029 is still in time.
        var device = Sub("s.11", "businesskey", "2023-03-01") with { Renewals = [D("2026-02-28"), D("2029-02-27")] };

        Assert.Equal(38m, ServiceTotal(Bill(2023, device), "s.11"));
        Assert.Equal(13m, ServiceTotal(Bill(2026, device), "s.11"));
        Assert.Equal(13m, ServiceTotal(Bill(2029, device), "s.11"));
    }

    [Theory]
    [InlineData("2026-03-01")]
    [InlineData("2026-06-30")]
    public void Compute_BusinessKeyRenewedOnOrAfterExpiry_IsRefused(string renewedOn)
    {
        var device = Sub("s.11", "businesskey", "2023-03-01") with { Renewals = [D(renewedOn)] };

        Assert.Throws<RenewalAfterExpiryException>(() => Bill(2026, device));
    }

    [Fact]
    public void Compute_SecondRenewalCountsFromFirstRenewal_NotFromIssue()
    {
        // Renewed 1 June 2025, valid to 1 June 2028: a renewal on 1 June 2028 is too late.
        var device = Sub("s.11", "businesskey", "2023-03-01") with { Renewals = [D("2025-06-01"), D("2028-06-01")] };

        Assert.Throws<RenewalAfterExpiryException>(() => Bill(2028, device));
    }

    // ---- Rule 13: versions side by side.

    [Fact]
    public void Compute_ConservazioneIn2020_UsesFaqTariffAndIn2021TheDisciplinare()
    {
        // 3 GB since 2019. 2020 starts under the FAQ version: 100.00 + one started 30 GB pack beyond the first GB
        // (3 - 1 = 2 GB) 900.00 = 1,000.00. 2021 under the Disciplinare: 98 x 3 = 294.00.
        var conservazione = Sub("s.12", "portale", "2019-06-01", 3m);

        var y2020 = Bill(2020, conservazione).Lines.Where(l => l.ServiceId == "s.12").ToList();
        var y2021 = Bill(2021, conservazione).Lines.Where(l => l.ServiceId == "s.12").ToList();

        Assert.Equal(1000m, y2020.Sum(l => l.Amount.Euros));
        Assert.All(y2020, l => Assert.Equal("faq", l.ListinoVersion));
        Assert.Equal(294m, y2021.Sum(l => l.Amount.Euros));
        Assert.All(y2021, l => Assert.Equal("2020-10", l.ListinoVersion));
    }

    [Theory]
    // 30 Sept 2020, under the FAQ: start-up 550.00; period from 30 Sept priced by the FAQ: September 1 of 30 days,
    // not counted; Oct-Dec 3 months: 100 x 3 / 12 = 25.00 + 900 x 1 x 3 / 12 = 225.00 -> 800.00 in all
    [InlineData("2020-09-30", "550.00", "800.00")]
    // 1 Oct 2020, under the Disciplinare: start-up 508.00; 3 GB x 98 x 3 / 12 = 73.50 -> 581.50
    [InlineData("2020-10-01", "508.00", "581.50")]
    public void Compute_OneOffUsesVersionOnEventDate(string activatedOn, string startUp, string total)
    {
        var statement = Bill(2020, Sub("s.12", "portale", activatedOn, 3m));

        Assert.Equal(decimal.Parse(startUp, System.Globalization.CultureInfo.InvariantCulture), Amount(statement, "s.12", "avvio"));
        Assert.Equal(decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture), ServiceTotal(statement, "s.12"));
    }

    [Fact]
    public void Compute_ServiceOlderThanItsFirstListing_IsBilledFromThatVersion()
    {
        // The FAQ version knows only s.12, so antivirus since 2019 is billed from the Disciplinare of 1 October 2020
        // (DESIGN rule 13: facts before the first version listing a service are not billed): 12 x 15 x 3 / 12 = 45.00.
        var history = Ente(Antivirus("2019-01-01")) with { Population = [] };

        Assert.Equal(45m, StatementCalculator.Compute(Padova, history, 2020).Total.Euros);
    }

    [Fact]
    public void Compute_DateBeforeFirstVersion_IsNotBilled()
    {
        Assert.Empty(Bill(2012, Sub("s.12", "portale", "2012-01-01")).Lines);
    }

    // ---- Other listini as data: CIT Brescia.

    [Fact]
    public void Compute_BresciaFirstMailbox_IsFree()
    {
        var history = new EnteHistory("comune-bs", "cit-brescia", D(2015, 10, 1))
        {
            Subscriptions = [new Subscription("pec", "pec", D(2020, 1, 1))],
        };

        Assert.Equal(Money.Zero, StatementCalculator.Compute(Brescia, history, 2025).Total);
    }

    [Fact]
    public void Compute_BresciaMailboxAddedMidYear_PaysActivationAndMonthsUsed()
    {
        // Second mailbox from 20 June 2025: activation 36.00; June counts (any day); Jun-Dec 7 months: 36 x 7 / 12 = 21.00
        var history = new EnteHistory("comune-bs", "cit-brescia", D(2015, 10, 1))
        {
            Subscriptions = [new Subscription("pec", "pec", D(2020, 1, 1)) { QuantityChanges = [new(D(2025, 6, 20), 2m)] }],
        };

        var statement = StatementCalculator.Compute(Brescia, history, 2025);

        Assert.Equal(36m, Amount(statement, "pec", "attivazione"));
        Assert.Equal(21m, Amount(statement, "pec", "mantenimento"));
        Assert.Equal(57m, statement.Total.Euros);
    }

    [Fact]
    public void Compute_HistoryOnAnotherListino_IsRefused()
    {
        Assert.Throws<InvalidHistoryException>(() => StatementCalculator.Compute(Brescia, Ente(), 2025));
    }

    [Fact]
    public void Compute_UnknownVariant_IsRefused()
    {
        Assert.Throws<InvalidHistoryException>(() => Bill(2025, Sub("s.11", "pec-platinum", "2025-01-01")));
    }

    [Fact]
    public void Compute_ChangeAfterSubscriptionEnded_IsRefused()
    {
        var antivirus = Antivirus("2024-01-01") with
        {
            DisdettaReceivedOn = D("2024-10-01"),
            QuantityChanges = [new(D("2025-02-01"), 3m)],
        };

        Assert.Throws<InvalidHistoryException>(() => Bill(2025, antivirus));
    }

    [Fact]
    public void Compute_SameInputs_GiveSameStatement()
    {
        var history = Ente(Antivirus("2024-03-17"), Sub("s.12", "connettore", "2025-02-02", 4m));

        var first = StatementCalculator.Compute(Padova, history, 2025);
        var second = StatementCalculator.Compute(Padova, history, 2025);

        Assert.Equal(first.Lines, second.Lines);
    }
}
