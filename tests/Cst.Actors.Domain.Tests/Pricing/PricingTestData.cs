using System.Collections.Immutable;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Pricing;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Domain.Tests.Pricing;

/// <summary>Builders shared by the pricing tests: the shipped listini and a member ente with a known population.</summary>
internal static class PricingTestData
{
    public static readonly PriceCatalogue Shipped = ListinoLoader.LoadShipped();

    public static Listino Padova => Shipped.Get("cst-padova");

    public static Listino Brescia => Shipped.Get("cit-brescia");

    public static LocalDate D(string iso) => LocalDatePattern.Iso.Parse(iso).GetValueOrThrow();

    public static LocalDate D(int year, int month, int day) => new(year, month, day);

    /// <summary>An ente of 3,000 inhabitants every year, member since 2000, on the Padova listino.</summary>
    public static EnteHistory Ente(params Subscription[] subscriptions) =>
        new("comune-test", "cst-padova", D(2000, 1, 1))
        {
            Population = [.. Enumerable.Range(2000, 101).Select(y => new PopulationCount(y, 3000))],
            Subscriptions = [.. subscriptions],
        };

    public static Subscription Sub(string serviceId, string? variant, string activatedOn, decimal quantity = 1m) =>
        new($"{serviceId}/{variant}/{activatedOn}", serviceId, D(activatedOn)) { Variant = variant, Quantity = quantity };

    public static Statement Bill(int year, params Subscription[] subscriptions) =>
        StatementCalculator.Compute(Padova, Ente(subscriptions), year);

    public static ImmutableList<StatementLine> Lines(Statement statement, string serviceId, string componentId) =>
        [.. statement.Lines.Where(l => l.ServiceId == serviceId && l.ComponentId == componentId)];

    /// <summary>Sum of the lines of one component (there may be several periods).</summary>
    public static decimal Amount(Statement statement, string serviceId, string componentId) =>
        Money.Sum(Lines(statement, serviceId, componentId).Select(l => l.Amount)).Euros;

    /// <summary>Sum of the lines of a service, excluding the membership quota.</summary>
    public static decimal ServiceTotal(Statement statement, string serviceId) =>
        Money.Sum(statement.Lines.Where(l => l.ServiceId == serviceId).Select(l => l.Amount)).Euros;
}
