using Cst.Actors.Contracts.Import;
using Cst.Actors.Contracts.ReferenceData;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Deadlines;
using NodaTime;

namespace Cst.Actors.Grains.Tests.Import;

public sealed class DemoDataTests
{
    private static readonly LocalDate Today = new(2026, 11, 23);

    private static readonly PriceCatalogue Catalogue = ListinoLoader.LoadShipped();

    [Fact]
    public void Build_Gives102ComuniOfPadova_WithTheirIstatCodesAndCensusPopulation()
    {
        var enti = DemoData.Build(Today).Enti;

        Assert.Equal(102, enti.Count);
        Assert.Equal(102, enti.Select(e => e.IstatCode).Distinct().Count());
        Assert.All(enti, e => Assert.StartsWith("028", e.IstatCode, StringComparison.Ordinal));
        var padova = Assert.Single(enti, e => e.IstatCode == "028060");
        Assert.Equal("Comune di Padova", padova.Name);
        Assert.All(padova.Population, p => Assert.Equal(206_192, p.Inhabitants));
        Assert.Equal(Today.Year, padova.Population[^1].Year);
        var agna = Assert.Single(enti, e => e.IstatCode == "028002");
        Assert.Equal(3_400, agna.Population[0].Inhabitants);

        // The figures are those of the ISTAT file shipped in the repository, row by row.
        var file = File.ReadAllLines(Path.Combine(ImportFiles.Root, "grains", "Cst.Actors.Contracts", "ReferenceData", "comuni-istat.csv"))
            .Skip(1).Select(l => l.Split(';')).Where(f => f[2] == "PD").ToDictionary(f => f[0], f => (Name: f[1], Population: int.Parse(f[5], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(file.Keys.Order(), enti.Select(e => e.IstatCode!).Order());
        Assert.All(enti, e => Assert.Equal(("Comune di " + file[e.IstatCode!].Name, file[e.IstatCode!].Population), (e.Name, e.Population[0].Inhabitants)));
        Assert.Equal(7_904, IstatComuni.LoadAll().Length);
    }

    [Fact]
    public void Build_IsDeterministic_AndTheSeedMatters()
    {
        var first = ImportJson.Write(DemoData.Build(Today));

        Assert.Equal(first, ImportJson.Write(DemoData.Build(Today)));
        Assert.NotEqual(first, ImportJson.Write(DemoData.Build(Today, seed: 7)));
    }

    [Theory]
    [InlineData(2026, 11, 23)]
    [InlineData(2026, 6, 15)]
    [InlineData(2022, 3, 1)]
    public void Build_EveryEntePassesTheDomainChecks(int year, int month, int day)
    {
        var today = new LocalDate(year, month, day);
        var document = DemoData.Build(today);

        var reasons = document.Enti.Select(e => ImportValidator.Check(e, id => Catalogue.Listini.FirstOrDefault(l => l.Id == id)))
            .SelectMany(c => c.Reasons).ToList();

        Assert.Empty(reasons);
        var dates = document.Enti.SelectMany(e => e.Mailboxes.SelectMany(m => new[] { m.RequestedOn, m.ActivatedOn, m.Disdetta?.ReceivedOn })
            .Concat(e.Devices.SelectMany(d => d.RenewedOn.Select(r => (LocalDate?)r).Append(d.IssuedOn)))
            .Concat(e.Services.SelectMany(s => s.Consumption.Select(c => c.RecordedOn).Append(s.ActivatedOn)))
            .Append(e.AdheredOn)).OfType<LocalDate>().ToList();
        Assert.All(dates, d => Assert.InRange(d, DemoData.ListinoStart, today));
    }

    [Fact]
    public void Build_HasTheMixANewcomerShouldSee()
    {
        var enti = DemoData.Build(Today).Enti;
        var mailboxes = enti.SelectMany(e => e.Mailboxes).ToList();
        var devices = enti.SelectMany(e => e.Devices).ToList();
        var services = enti.SelectMany(e => e.Services).ToList();

        Assert.Equal(["gold", "silver", "standard"], mailboxes.Select(m => m.Tier).Distinct().Order());
        Assert.Contains(mailboxes, m => m.ExtraSpaceGb.Count > 0);
        Assert.Contains(mailboxes, m => m.ConservazioneGb.Count > 0);
        Assert.Contains(mailboxes, m => m.TierChanges.Count > 0);
        Assert.Contains(mailboxes, m => m.Disdetta is not null);
        Assert.Equal(3, mailboxes.Where(m => m.CustomDomainPack is not null).Select(m => m.CustomDomainPack).Distinct().Count());
        var expiringSoon = devices.Count(d => FirmaCertificateRule.ExpiresOn(d.RenewedOn.Count > 0 ? d.RenewedOn[^1] : d.IssuedOn!.Value) is var x
            && x > Today && x <= Today.PlusDays(90) && d.Revocation is null);
        Assert.InRange(expiringSoon, 5, 60);
        Assert.Contains(devices, d => d.RenewedOn.Count > 0);
        Assert.Contains(devices, d => d.Kind == FirmaDeviceKind.FirmaRemota);
        Assert.Contains(devices, d => d.Revocation is not null);
        foreach (var service in new[] { "s.2", "s.5", "s.13", "s.14", "s.15", "s.16", "s.10" })
        {
            Assert.Contains(services, s => s.Service == service);
        }

        Assert.Contains(services, s => s.Service == "s.2" && s.Consumption.Count > 0);
        Assert.Contains(services, s => s.Service == "s.10" && s.AgreedPrice is not null);
        Assert.Equal(5, enti.Count(e => e.Capofila is not null));
    }
}
