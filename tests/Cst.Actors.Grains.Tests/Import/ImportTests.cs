using System.Diagnostics;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Domain.Enti;
using Cst.Actors.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Xunit.Abstractions;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Import;

[Collection(ImportCollection.Name)]
public sealed class ImportTests(GrainsCluster cluster, ITestOutputHelper output)
{
    private const string ImportOperator = "import-test";

    private IClusterClient Client => cluster.Client;

    private CstImporter Importer => new(Client);

    [Fact]
    public async Task ExampleFile_ImportedTwice_SecondChangesNothing_FirstAuditsEachChange()
    {
        var document = ImportJson.Parse(await File.ReadAllTextAsync(ImportFiles.ExamplePath)).Document!;

        var first = await Importer.ImportAsync(document, ImportOperator);

        Assert.True(first.Succeeded, string.Join("\n", first.Enti));
        Assert.All(first.Enti, e => Assert.Equal(ImportOutcome.Created, e.Outcome));

        // One audit row per change, in the order the history happened.
        // A new ente is registered with its populations and payer in one change.
        Assert.Equal(["register"], Actions(await cluster.AuditAsync("ente:029001")));
        Assert.Equal(
            ["request", "activate", "set conservazione in GB", "set extra space in GB", "change tier", "set extra space in GB"],
            Actions(await cluster.AuditAsync("pec:protocollo@pec.comune.adria.example")));
        Assert.Equal(["issue", "renew"], Actions(await cluster.AuditAsync("firma:BK-029001-01")));
        Assert.Equal(["issue", "revoke"], Actions(await cluster.AuditAsync("firma:BK-029001-03")));
        Assert.Equal(["activate", "change quantity"], Actions(await cluster.AuditAsync("service:029001/s.13/1")));
        Assert.Equal(["activate", "record consumption", "record consumption"], Actions(await cluster.AuditAsync("service:029001/s.15/1")));
        Assert.Equal(["activate", "disdetta"], Actions(await cluster.AuditAsync("service:029001/s.16/1")));
        Assert.Equal(["register", "withdraw"], Actions(await cluster.AuditAsync("ente:029002")));
        Assert.Equal(["request", "activate", "end for withdrawal"],
            Actions(await cluster.AuditAsync("pec:protocollo@pec.comune.arianonelpolesine.example")));
        Assert.Equal(["request"], Actions(await cluster.AuditAsync("pec:elettorale@pec.adria.example")));
        Assert.All(await cluster.ReadAsync("SELECT DISTINCT operator FROM audit WHERE object LIKE '%0290%' OR object LIKE '%adria%'"),
            op => Assert.Equal(ImportOperator, op));
        var adria = await Client.GetGrain<IEnteGrain>("029001").GetAsync();
        Assert.Equal(15, adria.Children.Count);
        Assert.Equal("93000120290", (await Client.GetGrain<IEnteGrain>("029002").GetAsync()).CapofilaId);

        var before = await StateAsync(document);
        var second = await Importer.ImportAsync(document, ImportOperator);

        Assert.All(second.Enti, e => Assert.Equal(ImportOutcome.Unchanged, e.Outcome));
        Assert.Equal(before, await StateAsync(document));

        // The imported history prices: the 2025 statement has the quota, mailboxes, devices and services.
        var statement = await Client.GetGrain<IEnteGrain>("029001").GetStatementAsync(2025);
        Assert.True(statement.Lines.Count >= 10, string.Join("\n", statement.Lines));
    }

    [Fact]
    public async Task Batch_WithOneBadObject_RejectsThatEnteUnwritten_AndImportsTheOthers()
    {
        var good = NewIstatCode();
        var bad = NewIstatCode();
        var badMailbox = NewMailboxAddress();
        var goodOfBad = NewMailboxAddress();
        var document = new ImportDocument
        {
            Enti =
            [
                Ente(good, "Comune Buono") with
                {
                    Mailboxes = [Mailbox(NewMailboxAddress(), "silver", new LocalDate(2022, 1, 10))],
                },
                Ente(bad, "Comune Cattivo") with
                {
                    Mailboxes = [Mailbox(goodOfBad, "gold", new LocalDate(2022, 1, 10)), Mailbox(badMailbox, "platinum", new LocalDate(2022, 2, 1))],
                    Services = [new ImportService { Service = "s.13", Variant = "base", ActivatedOn = new LocalDate(2020, 12, 1), Quantity = 10 }],
                },
            ],
        };

        var report = await Importer.ImportAsync(document, ImportOperator);

        Assert.Equal(ImportOutcome.Created, report.Enti[0].Outcome);
        var rejected = report.Enti[1];
        Assert.Equal((ImportOutcome.Refused, bad), (rejected.Outcome, rejected.EnteId));
        Assert.Contains(rejected.Reasons, r => r.Contains("platinum", StringComparison.Ordinal) && r.Contains(badMailbox, StringComparison.Ordinal));
        Assert.Contains(rejected.Reasons, r => r.Contains("2020-12-01", StringComparison.Ordinal) && r.Contains("2021-01-01", StringComparison.Ordinal));
        output.WriteLine(rejected.ToString());

        Assert.True(await Client.GetGrain<IEnteGrain>(good).ExistsAsync());
        Assert.False(await Client.GetGrain<IEnteGrain>(bad).ExistsAsync());
        await Assert.ThrowsAsync<CstDomainError>(() => Client.GetGrain<IPecMailboxGrain>(goodOfBad).GetAsync());
        Assert.Equal(0, await cluster.CountAsync("SELECT count(*) FROM audit WHERE object LIKE $1", $"%{bad}%"));
        Assert.Equal(0, await cluster.CountAsync("SELECT count(*) FROM audit WHERE object = $1", "pec:" + goodOfBad));
    }

    [Fact]
    public async Task Ente_WhoseMailboxBelongsToAnotherEnte_IsRejectedBeforeAnythingIsWritten()
    {
        var owner = await NewComuneAsync(Client, new LocalDate(2021, 1, 1));
        var address = NewMailboxAddress();
        await Client.GetGrain<IPecMailboxGrain>(address).RequestAsync(new PecMailboxRequest(owner, "standard", new LocalDate(2021, 5, 1)), Operator);
        var other = NewIstatCode();

        var report = await Importer.ImportAsync(
            new ImportDocument { Enti = [Ente(other, "Comune Altro") with { Mailboxes = [Mailbox(address, "standard", new LocalDate(2021, 5, 1))] }] },
            ImportOperator);

        var result = Assert.Single(report.Enti);
        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Contains(owner, Assert.Single(result.Reasons), StringComparison.Ordinal);
        Assert.False(await Client.GetGrain<IEnteGrain>(other).ExistsAsync());
    }

    [Fact]
    public async Task CsvOfEnti_Imports_AndTheCapofilaComesFirstWhateverTheOrder()
    {
        var lead = NewIstatCode();
        var member = NewIstatCode();
        var csv = "nome;codice_istat;data_adesione;popolazione;anno_popolazione;capofila\n"
            + $"Comune Associato;{member};01/03/2022;2.150;2026;{lead}\n"
            + $"Comune Capofila;{lead};2021-01-01;12.400;2026;\n";
        var parsed = EntiCsv.Parse(csv);
        Assert.True(parsed.Success, string.Join("\n", parsed.Errors));

        var report = await Importer.ImportAsync(parsed.Document!, ImportOperator);

        Assert.True(report.Succeeded, string.Join("\n", report.Enti));
        var view = await Client.GetGrain<IEnteGrain>(member).GetAsync();
        Assert.Equal(lead, view.CapofilaId);
        Assert.Equal(2_150, Assert.Single(view.Population).Inhabitants);
        Assert.Equal(ImportOutcome.Unchanged, (await Importer.ImportAsync(parsed.Document!, ImportOperator)).Enti[0].Outcome);
    }

    [Fact]
    public async Task Windows1252Csv_ImportsForli_AndTheReportSaysItWasConverted()
    {
        var istat = NewIstatCode();
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var path = Path.Combine(Path.GetTempPath(), $"cst-enti-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(path, System.Text.Encoding.GetEncoding(1252).GetBytes(
            $"nome;codice_istat;data_adesione;popolazione;anno_popolazione\r\nComune di Forlì;{istat};01/01/2021;3.400;2026\r\n"));

        var report = await Importer.ImportAsync(await EntiCsv.ParseFileAsync(path), ImportOperator);

        var forli = Assert.Single(report.Enti);
        Assert.Equal((ImportOutcome.Created, 2), (forli.Outcome, forli.Line));
        Assert.Contains(report.Notes, n => n.Contains("read as Windows-1252", StringComparison.Ordinal));
        Assert.Equal("Comune di Forlì", (await Client.GetGrain<IEnteGrain>(istat).GetAsync()).Registration.Name);
    }

    [Fact]
    public async Task CsvWithBadRows_WritesNothing_ListsEveryErrorByLine_AndTheCorrectedFileImportsWhole()
    {
        var (agna, arre, arqua, bad) = (NewIstatCode(), NewIstatCode(), NewIstatCode(), NewIstatCode());
        string Csv(string arreDate, string arquaPopulation, string badCode) =>
            "nome;codice_istat;data_adesione;popolazione;anno_popolazione\n"
            + $"Comune di Agna;{agna};2021-01-01;3400;2026\n"
            + $"Comune di Arre;{arre};{arreDate};2150;2026\n"
            + $"Comune di Arquà Petrarca;{arqua};{arreDate};{arquaPopulation};2026\n"
            + $"Comune di Bagnoli;{badCode};2021-01-01;3600;2026\n";
        var keys = new[] { agna, arre, arqua, bad };
        var before = await TablesAsync(keys);

        var report = await Importer.ImportAsync(EntiCsv.Parse(Csv("31/02/2021", "1.845,5", bad[..5])), ImportOperator);

        // Every ente, by its line: the good one is not imported, each bad one refused with every reason.
        Assert.Equal([2, 3, 4, 5], report.Enti.Select(e => e.Line));
        Assert.Equal([ImportOutcome.NotImported, ImportOutcome.Refused, ImportOutcome.Refused, ImportOutcome.Refused], report.Enti.Select(e => e.Outcome));
        Assert.Contains("line 3, column 3 (data_adesione)", Assert.Single(report.Enti[1].Reasons), StringComparison.Ordinal);
        Assert.Collection(report.Enti[2].Reasons,
            r => Assert.Contains("line 4, column 3 (data_adesione)", r, StringComparison.Ordinal),
            r => Assert.Contains("line 4, column 4 (popolazione)", r, StringComparison.Ordinal));
        Assert.Contains(report.Enti[3].Reasons, r => r.Contains(bad[..5], StringComparison.Ordinal));
        Assert.Equal([3, 4, 4], report.Errors.Select(e => e.Line));
        Assert.False(report.Succeeded);
        output.WriteLine(string.Join("\n", report.Enti));

        // Nothing of the file was written: no ente, no stored row, no audit row.
        Assert.Equal(before, await TablesAsync(keys));
        Assert.False(await Client.GetGrain<IEnteGrain>(agna).ExistsAsync());

        // The corrected file imports whole, and again changes nothing.
        var corrected = EntiCsv.Parse(Csv("2021-03-01", "1.845", bad));
        Assert.All((await Importer.ImportAsync(corrected, ImportOperator)).Enti, e => Assert.Equal(ImportOutcome.Created, e.Outcome));
        Assert.All((await Importer.ImportAsync(corrected, ImportOperator)).Enti, e => Assert.Equal(ImportOutcome.Unchanged, e.Outcome));
        Assert.Equal(1_845, Assert.Single((await Client.GetGrain<IEnteGrain>(arqua).GetAsync()).Population).Inhabitants);
    }

    [Fact]
    public async Task CsvWithAnEnteTheEngineRefuses_WritesNothingOfTheOthers()
    {
        // Step 2 (against the engine) for a CSV: a capofila neither registered nor in the file.
        var (good, member) = (NewIstatCode(), NewIstatCode());
        var csv = "nome;codice_istat;data_adesione;capofila\n"
            + $"Comune Buono;{good};2021-01-01;\n"
            + $"Comune Associato;{member};2021-01-01;{NewIstatCode()}\n";
        var before = await TablesAsync([good, member]);

        var report = await Importer.ImportAsync(EntiCsv.Parse(csv), ImportOperator);

        Assert.Equal([ImportOutcome.NotImported, ImportOutcome.Refused], report.Enti.Select(e => e.Outcome));
        Assert.Contains("neither registered nor in this document", Assert.Single(report.Enti[1].Reasons), StringComparison.Ordinal);
        Assert.Equal(before, await TablesAsync([good, member]));
    }

    [Fact]
    public async Task Ente_ThatAGrainRefusesHalfWay_IsReportedFailed_AndTheCorrectedFileConverges()
    {
        // The engine holds a mailbox active from 2021-05-03 that the file does not mention; the file moves the
        // adhesion after it, which only the ente grain can see: the registration (the first write) is refused.
        var ente = await NewComuneAsync(Client, new LocalDate(2021, 1, 1), "Comune Esistente");
        var address = NewMailboxAddress();
        await Client.GetGrain<IPecMailboxGrain>(address).RequestAsync(new PecMailboxRequest(ente, "standard", new LocalDate(2021, 5, 1)), Operator);
        await Client.GetGrain<IPecMailboxGrain>(address).ActivateAsync(new LocalDate(2021, 5, 3), Operator);
        var file = Ente(ente, "Comune Esistente") with { AdheredOn = new LocalDate(2022, 1, 1) };

        var failed = Assert.Single((await Importer.ImportAsync(new ImportDocument { Enti = [file] }, ImportOperator)).Enti);

        Assert.Equal(ImportOutcome.Failed, failed.Outcome);
        Assert.Contains("2021-05-03", Assert.Single(failed.Reasons), StringComparison.Ordinal);
        Assert.Contains("import the same file again", failed.Reasons[0], StringComparison.Ordinal);

        var corrected = file with { AdheredOn = new LocalDate(2021, 1, 1) };
        var applied = Assert.Single((await Importer.ImportAsync(new ImportDocument { Enti = [corrected] }, ImportOperator)).Enti);
        Assert.Equal((ImportOutcome.Updated, 1), (applied.Outcome, applied.Changes));
        Assert.Equal(3_000, Assert.Single((await Client.GetGrain<IEnteGrain>(ente).GetAsync()).Population).Inhabitants);
    }

    [Fact]
    public async Task DemoDataLoader_LoadsOnlyWhenItsModeSays()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [DemoDataLoader.LoadKey] = "never" }).Build();
        var logger = NullLogger.Instance;
        var clock = NodaTime.Extensions.TimeProviderExtensions.ToClock(cluster.Time);

        Assert.Equal(DemoDataLoad.Never, DemoDataLoader.ReadMode(configuration));
        Assert.Equal(DemoDataLoad.FirstStart, DemoDataLoader.ReadMode(
            new ConfigurationBuilder().Build()));
        Assert.Throws<SiloConfigurationException>(() => DemoDataLoader.ReadMode(
            new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { [DemoDataLoader.LoadKey] = "sometimes" }).Build()));
        Assert.Null(await DemoDataLoader.LoadAsync(DemoDataLoad.Never, embedded: true, Client, clock, logger, default));
        Assert.Null(await DemoDataLoader.LoadAsync(DemoDataLoad.FirstStart, embedded: false, Client, clock, logger, default));
    }

    [Fact]
    public async Task DemoDocument_Imports102ComuniWithoutRejection_AndAgainUnchanged()
    {
        var document = DemoData.Build(cluster.Today);
        var clock = Stopwatch.StartNew();

        var report = await Importer.ImportAsync(document, "demo-data");

        output.WriteLine($"demo data: {report.Summary} in {clock.Elapsed.TotalSeconds:F1} s; "
            + $"{document.Enti.Sum(e => e.Mailboxes.Count)} mailboxes, {document.Enti.Sum(e => e.Devices.Count)} devices, "
            + $"{document.Enti.Sum(e => e.Services.Count)} services; {await cluster.CountAsync("SELECT count(*) FROM audit WHERE operator = 'demo-data'")} audit rows; "
            + $"{await cluster.CountAsync("SELECT count(*) FROM notice WHERE ente LIKE '028%'")} notices");
        Assert.True(report.Succeeded, string.Join("\n", report.Enti.Where(e => e.Outcome != ImportOutcome.Created)));
        Assert.Equal(102, report.Created);
        var listed = await Client.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key).ListAsync();
        Assert.Equal(102, listed.Count(e => e.IstatCode is { } c && c.StartsWith("028", StringComparison.Ordinal)));
        Assert.Equal(206_192, (await Client.GetGrain<IEnteGrain>("028060").GetAsync()).Population[^1].Inhabitants);

        var audit = await cluster.CountAsync("SELECT count(*) FROM audit");
        clock.Restart();
        var again = await Importer.ImportAsync(document, "demo-data");
        output.WriteLine($"again: {again.Summary} in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(102, again.Unchanged);
        Assert.Equal(audit, await cluster.CountAsync("SELECT count(*) FROM audit"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Import_AnExistingIstatCodeWithAnotherName_ReportsTheUpdate_NeverSilently(bool bulk)
    {
        var istat = NewIstatCode();
        var lead = NewIstatCode();
        var importer = new CstImporter(Client) { Bulk = bulk };
        await importer.ImportAsync(new ImportDocument { Enti = [Ente(lead, "Comune Capofila " + lead), Ente(istat, "Comune di Abano Terme")] }, ImportOperator);

        var renamed = await importer.ImportAsync(new ImportDocument { Enti = [Ente(istat, "Comune di Prova")] }, ImportOperator);

        var result = Assert.Single(renamed.Enti);
        Assert.Equal(ImportOutcome.Updated, result.Outcome);
        Assert.Equal(["name 'Comune di Abano Terme' → 'Comune di Prova'"], result.Details);
        Assert.Equal($"{istat} Comune di Prova: updated: name 'Comune di Abano Terme' → 'Comune di Prova' (1 change)", result.ToString());
        Assert.Equal(["register", "edit"], Actions(await cluster.AuditAsync("ente:" + istat)));

        // A payer given from a year is a dated change, reported too; the same document again changes nothing.
        var payer = new ImportDocument { Enti = [Ente(istat, "Comune di Prova") with { Capofila = lead, CapofilaFrom = 2026 }] };
        var paid = Assert.Single((await importer.ImportAsync(payer, ImportOperator)).Enti);
        Assert.Equal([$"pays itself → payer itself, {lead} from 2026"], paid.Details);
        Assert.Equal((null, lead), ((await Client.GetGrain<IEnteGrain>(istat).GetAsync()).CapofilaIn(2025), (await Client.GetGrain<IEnteGrain>(istat).GetAsync()).CapofilaIn(2026)));
        Assert.Equal(ImportOutcome.Unchanged, Assert.Single((await importer.ImportAsync(payer, ImportOperator)).Enti).Outcome);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Import_OfAnExistingEnte_WithoutReferenteOrCapofila_KeepsWhatIsHeld(bool bulk)
    {
        var istat = NewIstatCode();
        var lead = NewIstatCode();
        var importer = new CstImporter(Client) { Bulk = bulk };
        var full = Ente(istat, "Comune di Abano Terme") with
        {
            ReferenteName = "Ufficio CED",
            ReferentePec = "protocollo@pec.comune.abano.example",
            Capofila = lead,
        };
        await importer.ImportAsync(new ImportDocument { Enti = [Ente(lead, "Comune Capofila " + lead), full] }, ImportOperator);
        var audit = Actions(await cluster.AuditAsync("ente:" + istat));

        // A CSV of enti with only name, code and adhesion: nothing it does not give is cleared.
        var bare = Assert.Single((await importer.ImportAsync(new ImportDocument { Enti = [Ente(istat, "Comune di Abano Terme")] }, ImportOperator)).Enti);

        Assert.Equal(ImportOutcome.Unchanged, bare.Outcome);
        var held = await Client.GetGrain<IEnteGrain>(istat).GetAsync();
        Assert.Equal(("Ufficio CED", "protocollo@pec.comune.abano.example", lead),
            (held.Registration.ReferenteName, held.Registration.ReferentePec, held.CapofilaIn(2026)));
        Assert.Equal(audit, Actions(await cluster.AuditAsync("ente:" + istat)));
    }

    /// <summary>The stored grain rows and audit rows of these keys.</summary>
    private async Task<string> TablesAsync(IEnumerable<string> keys)
    {
        var rows = new List<string>();
        foreach (var key in keys)
        {
            rows.AddRange(await cluster.StoredRowsAsync(key));
            rows.Add($"audit {key}: {await cluster.CountAsync("SELECT count(*) FROM audit WHERE object LIKE $1", $"%{key}%")}");
        }

        return string.Join("\n", rows);
    }

    private static ImportEnte Ente(string istat, string name) => new()
    {
        Name = name,
        Kind = EnteKind.Comune,
        IstatCode = istat,
        AdheredOn = new LocalDate(2021, 1, 1),
        Population = [new ImportPopulation { Year = 2026, Inhabitants = 3_000 }],
    };

    private static ImportMailbox Mailbox(string address, string tier, LocalDate on) =>
        new() { Address = address, Tier = tier, RequestedOn = on, ActivatedOn = on.PlusDays(2) };

    private static List<string> Actions(IReadOnlyList<string> audit) =>
        [.. audit.Select(a => a[(a.IndexOf(' ', StringComparison.Ordinal) + 1)..])];

    /// <summary>What the engine holds for the enti of a document: stored grain rows, audit and notice counts.</summary>
    private async Task<string> StateAsync(ImportDocument document)
    {
        var keys = new List<string>();
        foreach (var ente in document.Enti)
        {
            var key = EnteKey.For(ente.Kind, ente.IstatCode, ente.CodiceFiscale);
            keys.Add(key);
            keys.AddRange(ente.Mailboxes.Select(ImportValidator.MailboxKey));
            keys.AddRange(ente.Devices.Select(d => d.Serial));
            keys.AddRange(ente.Services.Select(s => ImportValidator.ServiceKey(key, s)));
        }

        var rows = new List<string>();
        foreach (var key in keys)
        {
            rows.AddRange(await cluster.StoredRowsAsync(key));
        }

        rows.Add("audit " + await cluster.CountAsync("SELECT count(*) FROM audit"));
        rows.Add("notices " + await cluster.CountAsync("SELECT count(*) FROM notice"));
        return string.Join("\n", rows);
    }
}
