using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Pricing;
using FsCheck.Xunit;
using NodaTime;
using static Cst.Actors.Domain.Tests.Pricing.PricingTestData;

namespace Cst.Actors.Domain.Tests.Pricing;

/// <summary>Invariants of the pricing, checked on generated histories (FsCheck).</summary>
public class PricingPropertyTests
{
    /// <summary>Maps any generated int onto 0..n-1, whatever its sign.</summary>
    private static int Pick(int seed, int n) => ((seed % n) + n) % n;

    private static LocalDate DayOf(int year, int seed) => new LocalDate(year, 1, 1).PlusDays(Pick(seed, 365));

    [Property(MaxTest = 300)]
    public bool CountMonths_FullYear_IsTwelveUnderBothConventions(int yearSeed, bool anyDay)
    {
        var year = 1900 + Pick(yearSeed, 300);
        var counting = anyDay ? MonthCounting.AnyDay : MonthCounting.MoreThanHalf;

        return MonthCounter.CountMonths(new LocalDate(year, 1, 1), new LocalDate(year + 1, 1, 1), year, counting) == 12;
    }

    [Property(MaxTest = 200)]
    public bool Compute_FullYear_CostsTheAnnualPrice(int yearSeed, int clientsSeed, bool advanced)
    {
        // s.13: 15.00 or 25.00 per client per year; a subscription older than the year pays exactly price x clients.
        var year = 2021 + Pick(yearSeed, 60);
        var clients = Pick(clientsSeed, 500) + 1;
        var variant = advanced ? "avanzato" : "base";
        var statement = Bill(year, Sub("s.13", variant, "2021-01-01", clients));

        var line = Assert.Single(statement.Lines, l => l.ServiceId == "s.13");
        return line.Months == 12 && line.Amount.Euros == (advanced ? 25m : 15m) * clients;
    }

    [Property(MaxTest = 300, EndSize = 2000)]
    public bool Compute_SplittingAPeriod_NeverCreatesOrLosesAMonth(int startSeed, int splitSeed, int endSeed, bool anyDayListino)
    {
        // A "change" to the same quantity splits the timeline without changing anything billable.
        var year = 2025;
        var days = new[] { Pick(startSeed, 365), Pick(splitSeed, 365), Pick(endSeed, 365) }.Order().ToArray();
        if (days[0] == days[2])
        {
            return true;
        }

        var start = new LocalDate(year, 1, 1).PlusDays(days[0]);
        var split = new LocalDate(year, 1, 1).PlusDays(Math.Max(days[1], days[0]));
        var end = new LocalDate(year, 1, 1).PlusDays(days[2] + 1);
        var plain = Sub("s.13", "base", "2025-01-01", 12m) with { ActivatedOn = start, CeasedOn = end };
        var split12 = plain with { QuantityChanges = [new(split, 12m)] };

        var (plainMonths, plainTotal) = MonthsAndTotal(plain, year, anyDayListino);
        var (splitMonths, splitTotal) = MonthsAndTotal(split12, year, anyDayListino);

        return plainMonths == splitMonths && plainTotal == splitTotal
            && plainMonths == MonthCounter.CountMonths(start, end, year, anyDayListino ? MonthCounting.AnyDay : MonthCounting.MoreThanHalf);
    }

    [Property(MaxTest = 300, EndSize = 2000)]
    public bool Compute_QuantityIncrease_CostsAsMuchAsASeparateContractForTheAddedUnits(int changeSeed, int addedSeed)
    {
        // 12 clients all year, more from a generated day = 12 clients all year + the added ones from that day.
        var change = DayOf(2025, changeSeed);
        var added = Pick(addedSeed, 50) + 1;
        var grown = Sub("s.13", "base", "2024-01-01", 12m) with { QuantityChanges = [new(change, 12m + added)] };
        var kept = Sub("s.13", "base", "2024-01-01", 12m);
        var extra = Sub("s.13", "base", "2025-01-01", added) with { Id = "extra", ActivatedOn = change };

        return ServiceTotal(Bill(2025, grown), "s.13") == ServiceTotal(Bill(2025, kept, extra), "s.13");
    }

    [Property(MaxTest = 200, EndSize = 2000)]
    public bool Compute_Total_IsTheSumOfLinesRoundedToTheCent(int aSeed, int bSeed, int cSeed, int quantitySeed)
    {
        // Mailboxes at 7.50/yr started on generated days give odd cents (7.50 x 5 / 12 = 3.125).
        var statement = Bill(2025,
            Sub("s.11", "pec-standard", "2025-01-01") with { Id = "a", ActivatedOn = DayOf(2025, aSeed) },
            Sub("s.11", "pec-gold", "2025-01-01") with { Id = "b", ActivatedOn = DayOf(2025, bSeed) },
            Sub("s.12", "portale", "2025-01-01", Pick(quantitySeed, 40) + 0.5m) with { Id = "c", ActivatedOn = DayOf(2025, cSeed) });

        var sum = 0m;
        foreach (var line in statement.Lines)
        {
            if (decimal.Round(line.Amount.Euros, 2) != line.Amount.Euros)
            {
                return false;
            }

            var exact = line.Months is { } months
                ? line.UnitPrice.Euros * line.Quantity * months / 12m
                : line.UnitPrice.Euros * line.Quantity;
            if (Math.Abs(exact - line.Amount.Euros) > 0.005m)
            {
                return false;
            }

            sum += line.Amount.Euros;
        }

        return statement.Total.Euros == sum;
    }

    private static readonly (string Service, string? Variant, decimal Quantity)[] Annual =
    [
        ("s.13", "base", 7m),
        ("s.6", "standard", 1m),
        ("s.5", "pacchetto", 1m),
        ("s.16", null, 1m),
        ("s.12", "portale", 3m),
        ("s.11", "pec-personalizzate", 11m),
    ];

    [Property(MaxTest = 300, EndSize = 5000)]
    public bool Compute_EarlierDisdetta_NeverCostsMore(int serviceSeed, int activationSeed, int firstSeed, int gapSeed)
    {
        var (service, variant, quantity) = Annual[Pick(serviceSeed, Annual.Length)];
        var activation = new LocalDate(2021, 1, 1).PlusDays(Pick(activationSeed, 365 * 4));
        var earlier = activation.PlusDays(Pick(firstSeed, 365 * 3));
        var later = earlier.PlusDays(Pick(gapSeed, 365 * 3));
        var subscription = Sub(service, variant, "2021-01-01", quantity) with { ActivatedOn = activation };

        decimal Cost(LocalDate disdetta)
        {
            var withDisdetta = subscription with { DisdettaReceivedOn = disdetta };
            return Enumerable.Range(activation.Year, later.Year - activation.Year + 2)
                .Sum(year => ServiceTotal(Bill(year, withDisdetta), service));
        }

        return Cost(earlier) <= Cost(later);
    }

    [Property(MaxTest = 300, EndSize = 5000)]
    public bool Compute_SingleBoxSubscriptions_CostAsMuchAsOneSubscriptionOfAllTheBoxes(
        int countSeed, int activationSeed, int yearSeed, int withdrawalSeed, bool withdraws)
    {
        // CIT Brescia: N mailboxes activated the same day as N subscriptions (one free by pooling) or as one subscription
        // of quantity N (free_units: 1) bill the same, in the activation year, later years and a withdrawal year.
        var boxes = Pick(countSeed, 12) + 1;
        var activation = new LocalDate(2016, 1, 1).PlusDays(Pick(activationSeed, 365 * 5));
        var year = activation.Year + Pick(yearSeed, 3);
        var withdrawal = withdraws ? activation.PlusDays(1 + Pick(withdrawalSeed, 365 * 3)) : (LocalDate?)null;

        decimal Total(params Subscription[] subscriptions) => StatementCalculator.Compute(Brescia,
            new EnteHistory("bs", "cit-brescia", new LocalDate(2015, 10, 1)) { WithdrawnOn = withdrawal, Subscriptions = [.. subscriptions] },
            year).Total.Euros;

        var separate = Enumerable.Range(1, boxes).Select(i => new Subscription($"box-{i:00}", "pec", activation)).ToArray();
        var together = new Subscription("boxes", "pec", activation) { Quantity = boxes };

        return Total(separate) == Total(together);
    }

    private static (int Months, decimal Total) MonthsAndTotal(Subscription subscription, int year, bool brescia)
    {
        Statement statement;
        if (brescia)
        {
            // The Brescia listino counts any day; its PEC service is the same shape (per unit, annual).
            var pec = subscription with { ServiceId = "pec", Variant = null, Quantity = subscription.Quantity + 1 };
            pec = pec with { QuantityChanges = [.. pec.QuantityChanges.Select(c => c with { Quantity = c.Quantity + 1 })] };
            var history = new EnteHistory("bs", "cit-brescia", new LocalDate(2015, 10, 1)) { Subscriptions = [pec] };
            statement = StatementCalculator.Compute(Brescia, history, year);
            var annual = statement.Lines.Where(l => l.ComponentId == "mantenimento").ToList();
            return (annual.Sum(l => l.Months ?? 0), annual.Sum(l => l.Amount.Euros));
        }

        statement = Bill(year, subscription);
        var lines = statement.Lines.Where(l => l.ServiceId == "s.13").ToList();
        return (lines.Sum(l => l.Months ?? 0), lines.Sum(l => l.Amount.Euros));
    }
}
