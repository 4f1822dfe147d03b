using Cst.Actors.Domain.Catalogue;
using NodaTime;

namespace Cst.Actors.Domain.Tests.Catalogue;

/// <summary>The listini shipped as embedded YAML load, and hold what the seeds say.</summary>
public class ShippedListiniTests
{
    private static readonly PriceCatalogue Shipped = ListinoLoader.LoadShipped();

    [Fact]
    public void LoadShipped_Always_HoldsPadovaAndBrescia()
    {
        Assert.Equal(new[] { "cit-brescia", "cst-padova" }, Shipped.Listini.Select(l => l.Id).Order());
    }

    [Fact]
    public void LoadShipped_Padova_HasFaqThenDisciplinareVersions()
    {
        var padova = Shipped.Get("cst-padova");

        Assert.Equal(new[] { "faq", "2020-10" }, padova.Versions.Select(v => v.Id));
        Assert.Equal(new LocalDate(2020, 10, 1), padova.Versions[1].EffectiveFrom);
        Assert.Equal("Disciplinare tecnico-economico, ottobre 2020", padova.Versions[1].AdoptedBy);
    }

    [Fact]
    public void LoadShipped_Disciplinare_HasTheTwentyServicesInOrder()
    {
        var disciplinare = Shipped.Get("cst-padova").Versions.Single(v => v.Id == "2020-10");

        Assert.Equal(Enumerable.Range(1, 20).Select(n => $"s.{n}"), disciplinare.Services.Select(s => s.Id));
        Assert.Equal(MonthCounting.MoreThanHalf, disciplinare.MonthCounting);
        Assert.NotNull(disciplinare.MembershipQuota);
    }

    [Fact]
    public void LoadShipped_Disciplinare_EveryComponentIsPricedIncludedOrOnQuotation()
    {
        var disciplinare = Shipped.Get("cst-padova").Versions.Single(v => v.Id == "2020-10");
        var components = disciplinare.Services.SelectMany(s => s.Components).ToList();

        Assert.All(components, c => Assert.True(
            c.Price is not null ^ (c.Kind == ChargeKind.Included || c.OnQuotation), $"component {c.Id}"));

        // Seed 001 tariff lines: s.1 1, s.2 3, s.3 1, s.4 1, s.5 2, s.6 3, s.7 1, s.8 2, s.9 7, s.10 1, s.11 12,
        // s.12 3, s.13 2, s.14 2, s.15 2, s.16 2, s.17 2, s.18 3, s.19 2, s.20 1 = 53.
        Assert.Equal(53, components.Count);
    }

    [Theory]
    [InlineData("s.5", "pacchetto-standard", ChargeKind.AnnualFullYear, "100.00")]
    [InlineData("s.8", "manutenzione", ChargeKind.FromSecondYear, "100.00")]
    [InlineData("s.11", "pacchetto-10-pec", ChargeKind.AnnualProRata, "60.00")]
    [InlineData("s.11", "rinnovo-businesskey", ChargeKind.Renewal, "13.00")]
    [InlineData("s.16", "primo-anno", ChargeKind.FirstYear, "900.00")]
    [InlineData("s.18", "hosting-backup", ChargeKind.Monthly, "20.00")]
    [InlineData("s.2", "sms", ChargeKind.Consumption, "0.05")]
    public void LoadShipped_Disciplinare_KeepsKindAndPrice(string service, string component, ChargeKind kind, string price)
    {
        var found = Shipped.Get("cst-padova").Versions[^1].FindService(service)!.Components.Single(c => c.Id == component);

        Assert.Equal(kind, found.Kind);
        Assert.Equal(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), found.Price!.Value.Euros);
    }

    [Fact]
    public void LoadShipped_FaqVersion_HoldsOnlyTheOlderConservazioneTariff()
    {
        var faq = Shipped.Get("cst-padova").Versions[0];

        var service = Assert.Single(faq.Services);
        Assert.Equal("s.12", service.Id);
        Assert.Equal(new[] { 100m, 900m, 550m, 550m }, service.Components.Select(c => c.Price!.Value.Euros));
        Assert.Null(faq.MembershipQuota);
    }

    [Fact]
    public void LoadShipped_Brescia_HasOnePecServiceWithFirstMailboxFree()
    {
        var version = Assert.Single(Shipped.Get("cit-brescia").Versions);

        var pec = Assert.Single(version.Services);
        Assert.Equal(MonthCounting.AnyDay, version.MonthCounting);
        Assert.All(pec.Components, c => Assert.Equal((1m, 36m), (c.FreeUnits, c.Price!.Value.Euros)));
    }

    [Theory]
    [InlineData("2013-01-01", "faq")]
    [InlineData("2020-09-30", "faq")]
    [InlineData("2020-10-01", "2020-10")]
    [InlineData("2031-05-05", "2020-10")]
    public void VersionInForceOn_Date_PicksLatestEffectiveVersion(string date, string expected)
    {
        var on = NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value;

        Assert.Equal(expected, Shipped.Get("cst-padova").VersionInForceOn(on).Id);
    }

    [Fact]
    public void VersionInForceOn_BeforeFirstVersion_Throws()
    {
        Assert.Throws<NoVersionInForceException>(() => Shipped.Get("cst-padova").VersionInForceOn(new LocalDate(2012, 12, 31)));
    }

    [Fact]
    public void Get_UnknownListino_Throws()
    {
        Assert.Throws<UnknownListinoException>(() => Shipped.Get("cst-verona"));
    }

    [Theory]
    [InlineData(5000, "1000.00")]
    [InlineData(5001, "1000.10")]
    [InlineData(10000, "1500.00")]
    [InlineData(10001, "1500.00")]
    [InlineData(0, "0.00")]
    public void MembershipQuota_Population_FollowsBands(int inhabitants, string expected)
    {
        // 0.20 x min(pop, 5000) + 0.10 x inhabitants 5,001-10,000; 1,500.00 flat above 10,000
        var quota = Shipped.Get("cst-padova").Versions[^1].MembershipQuota!;

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), quota.AnnualAmount(inhabitants).Euros);
    }
}
