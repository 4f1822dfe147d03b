using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Domain.Enti;
using NodaTime;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Import;

/// <summary>Oversized and hostile values are refused at import, naming the value, with nothing written.</summary>
[Collection(ImportCollection.Name)]
public sealed class ImportBoundsTests(GrainsCluster cluster)
{
    private static readonly LocalDate Activated = new(2022, 1, 1);

    public static TheoryData<string, string> BadEnti => new()
    {
        // What once blocked every billing run on numeric(12,2) overflow.
        { "price", "too large" },
        { "quantity", "too large" },
        { "half-client", "whole units" },
        { "population", "too large" },
        // Texts: a huge name, escape sequences, a bidi override, a line break inside a holder.
        { "long-name", "at most 200" },
        { "escape", "U+001B at position 7" },
        { "bidi", "U+202E at position 1" },
        { "newline-holder", "U+000A" },
        { "long-evidence", "at most 500" },
    };

    [Theory]
    [MemberData(nameof(BadEnti))]
    public async Task BadValue_IsRefused_NamingIt_AndNothingIsWritten(string which, string expected)
    {
        var istat = NewIstatCode();
        var ente = Bad(which, istat);

        var report = await new CstImporter(cluster.Client).ImportAsync(new ImportDocument { Enti = [ente] }, "import-test");

        var result = Assert.Single(report.Enti);
        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Contains(result.Reasons, r => r.Contains(expected, StringComparison.Ordinal));
        Assert.False(await cluster.Client.GetGrain<IEnteGrain>(istat).ExistsAsync());
        Assert.Equal(0, await cluster.CountAsync("SELECT count(*) FROM audit WHERE object LIKE $1", $"%{istat}%"));
    }

    private static ImportEnte Bad(string which, string istat)
    {
        var ente = new ImportEnte { Name = "Comune di Prova " + istat, Kind = EnteKind.Comune, IstatCode = istat, AdheredOn = new LocalDate(2021, 1, 1) };
        var antivirus = new ImportService { Service = "s.13", Variant = "base", ActivatedOn = Activated, Quantity = 10 };
        var hosting = new ImportService { Service = "s.10", ActivatedOn = Activated, Quantity = 1, AgreedPrice = 1200m };
        return which switch
        {
            "price" => ente with { Services = [hosting with { AgreedPrice = 100000000000.00m }] },
            "quantity" => ente with { Services = [antivirus with { Quantity = 1e13m }] },
            "half-client" => ente with { Services = [antivirus with { Quantity = 1.5m }] },
            "population" => ente with { Population = [new ImportPopulation { Year = 2022, Inhabitants = 60_000_000 }] },
            "long-name" => ente with { Name = new string('x', 1_000_000) },
            "escape" => ente with { Name = "Comune\u001b[2J di Prova" },
            "bidi" => ente with { Name = "\u202EavorP id enumoC" },
            "newline-holder" => ente with
            {
                Devices = [new ImportDevice { Serial = NewSerial(), Holder = "Mario\nRossi", IssuedOn = Activated }],
            },
            "long-evidence" => ente with
            {
                Services = [antivirus with { Disdetta = new ImportDisdetta { ReceivedOn = new LocalDate(2022, 6, 1), Evidence = new string('e', 501) } }],
            },
            _ => throw new ArgumentOutOfRangeException(nameof(which)),
        };
    }
}
