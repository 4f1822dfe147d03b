using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Pricing;
using static Cst.Actors.Domain.Tests.Pricing.PricingTestData;

namespace Cst.Actors.Domain.Tests.Pricing;

/// <summary>
/// What the pricing core cannot price is refused when entered: the rule lives in <see cref="Priceability"/>, which
/// the grains and the import validator call and the statement calculator applies.
/// </summary>
public sealed class PriceabilityTests
{
    private static CatalogueService Service(string id) => Padova.VersionInForceOn(D("2025-01-01")).FindService(id)!;

    [Fact]
    public void ConsumptionComponent_NoneNamedOnServiceWithTwo_IsRefusedNamingTheChoicesWithUnitAndPrice()
    {
        // s.15 Global Service has two consumption components: BASE days at EUR 288, AVANZATO days at EUR 393.
        var result = Priceability.ConsumptionComponent(Service("s.15"), null, null, "service 028001/s.15/1");

        Assert.False(result.Success);
        Assert.IsType<UnpriceableRecordException>(result.Error);
        Assert.Contains("must name its component", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("giornata-base (EUR 288.00 per giornata)", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("giornata-avanzato (EUR 393.00 per giornata)", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsumptionComponent_UnknownName_IsRefusedNamingIt()
    {
        var result = Priceability.ConsumptionComponent(Service("s.15"), null, "giornata-premium", "service 028001/s.15/1");

        Assert.Contains("'giornata-premium'", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("giornata-base", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsumptionComponent_OnServiceWithOne_TakesIt_AndOnServiceWithNone_IsRefused()
    {
        Assert.Equal("sms", Priceability.ConsumptionComponent(Service("s.2"), "intranet", null, "x").Value.Id);
        Assert.Contains("no consumption", Priceability.ConsumptionComponent(Service("s.13"), "base", null, "x").ErrorMessage,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_ConsumptionWithoutComponent_IsRefusedByTheSameRule()
    {
        var gs = Sub("s.15", null, "2025-01-01") with { Consumption = [new(D("2025-03-01"), 1m)] };

        var error = Assert.Throws<UnpriceableRecordException>(() => Bill(2025, gs));

        Assert.Contains("giornata-base (EUR 288.00 per giornata)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AgreedPriceError_FollowsTheRuleTheCalculatorApplies()
    {
        // s.10 hosting is on quotation: it needs a price in whole cents; s.13 antivirus has a listed price.
        Assert.IsType<MissingAgreedPriceException>(Priceability.AgreedPriceError(Service("s.10"), null, null, "service x"));
        Assert.IsType<InvalidHistoryException>(Priceability.AgreedPriceError(Service("s.10"), null, 1200.005m, "service x"));
        Assert.Contains("99.00", Priceability.AgreedPriceError(Service("s.13"), "base", 99m, "service x")!.Message, StringComparison.Ordinal);
        Assert.Null(Priceability.AgreedPriceError(Service("s.10"), null, 1200m, "service x"));
        Assert.Null(Priceability.AgreedPriceError(Service("s.13"), "base", null, "service x"));
        Assert.Throws<MissingAgreedPriceException>(() => Bill(2025, Sub("s.10", null, "2025-01-01")));
    }

    [Fact]
    public void CheckQuantity_ZeroOnAServicePricedPerUnit_IsRefusedNamingTheUnit()
    {
        var error = Assert.Throws<UnpriceableRecordException>(
            () => Priceability.CheckQuantity(Service("s.13"), "base", 0m, "service 028001/s.13/1"));

        Assert.Contains("client/server", error.Message, StringComparison.Ordinal);
        Priceability.CheckQuantity(Service("s.13"), "base", 12m, "service 028001/s.13/1");
        Priceability.CheckQuantity(Service("s.16"), null, 0m, "service 028001/s.16/1");
    }
}
