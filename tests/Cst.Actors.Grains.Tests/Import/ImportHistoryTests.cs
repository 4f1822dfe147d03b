using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Enti;
using NodaTime;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Import;

/// <summary>
/// Documents replaying real history: facts older than the first listino version are imported with their true dates
/// and not billed; facts that report what happened cannot be dated after today; records the pricing core could not
/// price are refused before anything is written.
/// </summary>
[Collection(ImportCollection.Name)]
public sealed class ImportHistoryTests(GrainsCluster cluster)
{
    private const string ImportOperator = "import-history-test";

    private IClusterClient Client => cluster.Client;

    private CstImporter Importer => new(Client);

    [Fact]
    public async Task MailboxOf2018_AndBusinessKeyOf2019WithRenewals_AreImported_AndTheStatementsAreRight()
    {
        var istat = NewIstatCode();
        var address = NewMailboxAddress();
        var serial = NewSerial();
        var document = new ImportDocument
        {
            Enti =
            [
                Ente(istat, "Comune Storico") with
                {
                    AdheredOn = new LocalDate(2015, 1, 1),
                    Population = [new ImportPopulation { Year = 2020, Inhabitants = 3_000 }, new ImportPopulation { Year = 2025, Inhabitants = 3_000 }],
                    Mailboxes = [new ImportMailbox { Address = address, Tier = "standard", RequestedOn = new LocalDate(2018, 4, 20), ActivatedOn = new LocalDate(2018, 5, 2) }],
                    Devices =
                    [
                        new ImportDevice
                        {
                            Serial = serial,
                            Kind = FirmaDeviceKind.BusinessKey,
                            Holder = "Anna Bianchi",
                            IssuedOn = new LocalDate(2019, 3, 1),
                            RenewedOn = [new LocalDate(2022, 2, 28), new LocalDate(2025, 2, 27)],
                        },
                    ],
                },
            ],
        };

        var report = await Importer.ImportAsync(document, ImportOperator);

        var result = Assert.Single(report.Enti);
        Assert.True(result.Outcome == ImportOutcome.Created, string.Join("\n", result.Reasons));
        var ente = Client.GetGrain<IEnteGrain>(istat);

        // 2020, seed tariffs (Disciplinare ott. 2020, in force from 2020-10-01; before it only the FAQ's s.12):
        //   quota: the FAQ version in force on 1 January 2020 has no membership quota      ->   0.00
        //   mailbox PEC standard EUR 7.50/yr, billed from 1 October: 7.50 x 3 / 12 = 1.875  ->   1.88
        //   BusinessKey issued 2019-03-01 (EUR 38, before s.11 was listed): not billed; no renewal in 2020
        //   total                                                                           ->   1.88
        var y2020 = await ente.GetStatementAsync(2020);
        Assert.Equal(1.88m, y2020.Total.Euros);
        Assert.Equal(1.88m, Assert.Single(y2020.Lines).Amount.Euros);

        // 2025:
        //   quota: 3,000 inhabitants x EUR 0.20                                              -> 600.00
        //   mailbox PEC standard, the whole year                                             ->   7.50
        //   BusinessKey renewal on 2025-02-27 (the day before the 2025-02-28 expiry) EUR 13  ->  13.00
        //   total                                                                            -> 620.50
        var y2025 = await ente.GetStatementAsync(2025);
        Assert.Equal(620.50m, y2025.Total.Euros);
        Assert.Equal(13m, y2025.Lines.Where(l => l.ComponentId == "rinnovo-businesskey").Sum(l => l.Amount.Euros));

        // The certificate chain keeps its real dates: 3 years from the last renewal.
        var device = await Client.GetGrain<Contracts.Firma.IFirmaDeviceGrain>(serial).GetAsync();
        Assert.Equal(new LocalDate(2028, 2, 27), device.ExpiresOn);
    }

    [Fact]
    public async Task FutureReportedFacts_AndUnpriceableRecords_AreRejectedBeforeAnythingIsWritten()
    {
        var today = cluster.Today;
        var later = today.PlusDays(46);
        var istat = NewIstatCode();
        var address = NewMailboxAddress();
        var document = new ImportDocument
        {
            Enti =
            [
                Ente(istat, "Comune Futuro") with
                {
                    Mailboxes =
                    [
                        new ImportMailbox
                        {
                            Address = address, RequestedOn = new LocalDate(2022, 1, 3), ActivatedOn = new LocalDate(2022, 1, 10),
                            Disdetta = new ImportDisdetta { ReceivedOn = later, Evidence = "prot. 1" },
                        },
                    ],
                    Services =
                    [
                        new ImportService
                        {
                            Service = "s.15", ActivatedOn = new LocalDate(2022, 1, 10),
                            Consumption = [new ImportConsumption { Id = "WO-2026-0042", RecordedOn = new LocalDate(2024, 3, 3), Quantity = 2 }],
                        },
                        new ImportService { Service = "s.10", ActivatedOn = new LocalDate(2022, 1, 10) },
                    ],
                },
            ],
        };

        var result = Assert.Single((await Importer.ImportAsync(document, ImportOperator)).Enti);

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Contains(result.Reasons, r => r.Contains(address, StringComparison.Ordinal)
            && r.Contains($"a disdetta cannot be received on {Iso(later)}, after today {Iso(today)}", StringComparison.Ordinal));
        Assert.Contains(result.Reasons, r => r.Contains("WO-2026-0042", StringComparison.Ordinal)
            && r.Contains("giornata-base", StringComparison.Ordinal) && r.Contains("giornata-avanzato", StringComparison.Ordinal));
        Assert.Contains(result.Reasons, r => r.Contains("s.10", StringComparison.Ordinal) && r.Contains("agreed price", StringComparison.Ordinal));
        Assert.False(await Client.GetGrain<IEnteGrain>(istat).ExistsAsync());
        Assert.Equal(0, await cluster.CountAsync("SELECT count(*) FROM audit WHERE object LIKE $1", $"%{istat}%"));
        Assert.Equal(0, await cluster.CountAsync("SELECT count(*) FROM audit WHERE object = $1", "pec:" + address));
    }

    private static ImportEnte Ente(string istat, string name) => new()
    {
        Name = name,
        Kind = EnteKind.Comune,
        IstatCode = istat,
        AdheredOn = new LocalDate(2021, 1, 1),
        Population = [new ImportPopulation { Year = 2026, Inhabitants = 3_000 }],
    };

    private static string Iso(LocalDate date) => NodaTime.Text.LocalDatePattern.Iso.Format(date);
}
