using System.Collections.Immutable;
using Cst.Actors.Contracts;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Contracts.Services;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Enti;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Pricing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Orleans.Storage;
using Orleans.TestingHost;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests;

[Collection(GrainsCollection.Name)]
public sealed class EnteTests(GrainsCluster cluster)
{
    private static readonly PriceCatalogue Catalogue = ListinoLoader.LoadShipped();

    private IClusterClient Client => cluster.Client;

    [Fact]
    public async Task Statement_ForAYear_EqualsWhatThePricingCoreComputesForTheSameHistory()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2021, 1, 1));
        var grain = Client.GetGrain<IEnteGrain>(ente);
        await grain.SetPopulationAsync(2024, 4_230, Operator);
        await grain.SetPopulationAsync(2025, 4_200, Operator);
        await grain.SetPopulationAsync(2026, 4_150, Operator);

        // A gold mailbox moved to silver, with extra space; two mailboxes of a custom-domain pack; a BusinessKey
        // renewed; antivirus whose client count grows; Global Service days; on-quotation hosting.
        var gold = NewMailboxAddress();
        await Client.GetGrain<IPecMailboxGrain>(gold).RequestAsync(new PecMailboxRequest(ente, "gold", new LocalDate(2025, 3, 1)), Operator);
        await Client.GetGrain<IPecMailboxGrain>(gold).ActivateAsync(new LocalDate(2025, 3, 20), Operator);
        await Client.GetGrain<IPecMailboxGrain>(gold).ChangeTierAsync(new LocalDate(2025, 9, 1), "silver", Operator);
        await Client.GetGrain<IPecMailboxGrain>(gold).SetExtraSpaceAsync(new LocalDate(2025, 5, 1), 5m, Operator);
        var pack = "dominio-" + ente;
        var packA = NewMailboxAddress();
        var packB = NewMailboxAddress();
        foreach (var (address, on) in new[] { (packA, new LocalDate(2025, 2, 1)), (packB, new LocalDate(2025, 6, 10)) })
        {
            await Client.GetGrain<IPecMailboxGrain>(address).RequestAsync(new PecMailboxRequest(ente, "standard", on, pack), Operator);
            await Client.GetGrain<IPecMailboxGrain>(address).ActivateAsync(on, Operator);
        }

        var serial = NewSerial();
        await Client.GetGrain<IFirmaDeviceGrain>(serial).IssueAsync(
            new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "Sindaco", new LocalDate(2022, 11, 1)), Operator);
        await Client.GetGrain<IFirmaDeviceGrain>(serial).RenewAsync(new LocalDate(2025, 10, 15), Operator);
        var antivirus = HostedServiceKey.For(ente, "s.13", "1");
        await Client.GetGrain<IHostedServiceGrain>(antivirus).ActivateAsync(
            new HostedServiceActivation("base", new LocalDate(2025, 4, 1), 40m, null), Operator);
        await Client.GetGrain<IHostedServiceGrain>(antivirus).ChangeQuantityAsync(new LocalDate(2025, 10, 1), 55m, Operator);
        var globalService = HostedServiceKey.For(ente, "s.15", "1");
        await Client.GetGrain<IHostedServiceGrain>(globalService).ActivateAsync(
            new HostedServiceActivation(null, new LocalDate(2025, 1, 15), 1m, null), Operator);
        await Client.GetGrain<IHostedServiceGrain>(globalService).RecordConsumptionAsync(
            new ConsumptionEntry("ODL-1", new LocalDate(2025, 5, 5), 2m, "giornata-base"), Operator);
        await Client.GetGrain<IHostedServiceGrain>(globalService).RecordConsumptionAsync(
            new ConsumptionEntry("ODL-1", new LocalDate(2025, 5, 5), 2m, "giornata-base"), Operator);
        var hosting = HostedServiceKey.For(ente, "s.10", "gestionale");
        await Client.GetGrain<IHostedServiceGrain>(hosting).ActivateAsync(
            new HostedServiceActivation(null, new LocalDate(2025, 7, 1), 1m, 1_200m), Operator);

        // The same history written by hand, priced by the core directly.
        var expected = new EnteHistory(ente, TestEnti.Listino, new LocalDate(2021, 1, 1))
        {
            Population = [new PopulationCount(2024, 4_230), new PopulationCount(2025, 4_200), new PopulationCount(2026, 4_150)],
            Subscriptions =
            [
                new Subscription(gold, "s.11", new LocalDate(2025, 3, 20))
                {
                    Variant = "pec-gold", VariantChanges = [new VariantChange(new LocalDate(2025, 9, 1), "pec-silver")],
                },
                new Subscription(gold + "#spazio-aggiuntivo", "s.11", new LocalDate(2025, 5, 1)) { Variant = "spazio-aggiuntivo", Quantity = 5m },
                new Subscription("pack:" + pack, "s.11", new LocalDate(2025, 2, 1))
                {
                    Variant = "pec-personalizzate", Quantity = 1m, QuantityChanges = [new QuantityChange(new LocalDate(2025, 6, 10), 2m)],
                },
                new Subscription(serial, "s.11", new LocalDate(2022, 11, 1)) { Variant = "businesskey", Renewals = [new LocalDate(2025, 10, 15)] },
                new Subscription(antivirus, "s.13", new LocalDate(2025, 4, 1))
                {
                    Variant = "base", Quantity = 40m, QuantityChanges = [new QuantityChange(new LocalDate(2025, 10, 1), 55m)],
                },
                new Subscription(globalService, "s.15", new LocalDate(2025, 1, 15))
                {
                    Consumption = [new ConsumptionRecord(new LocalDate(2025, 5, 5), 2m, "giornata-base")],
                },
                new Subscription(hosting, "s.10", new LocalDate(2025, 7, 1)) { AgreedPrice = 1_200m },
            ],
        };

        foreach (var year in new[] { 2024, 2025, 2026 })
        {
            var byCore = StatementCalculator.Compute(Catalogue.Get(TestEnti.Listino), expected, year);
            var byGrain = await grain.GetStatementAsync(year);
            Assert.Equal(Sorted(byCore.Lines), Sorted(byGrain.Lines));
            Assert.Equal(byCore.Total, byGrain.Total);
        }

        Assert.Equal(7, (await grain.GetAsync()).Children.Count);
        Assert.Contains((await grain.GetStatementAsync(2025)).Lines, l => l.ComponentId == "pacchetto-10-pec" && l.Amount.Euros > 0);
    }

    [Fact]
    public async Task Register_WithAnInvalidCodiceFiscaleOrTheWrongKey_IsRefusedAndStoresNothing()
    {
        var invalid = "80012345670";
        var badCf = await Assert.ThrowsAsync<CstDomainError>(() => Client.GetGrain<IEnteGrain>(invalid).RegisterAsync(
            new EnteRegistration("Unione dei Comuni", EnteKind.UnioneDiComuni, null, invalid, new LocalDate(2022, 1, 1), TestEnti.Listino, null, null, null),
            Operator));
        Assert.Equal("InvalidCodiceFiscale", badCf.Kind);
        Assert.Contains(invalid, badCf.Message, StringComparison.Ordinal);

        var istat = NewIstatCode();
        var other = NewIstatCode();
        var wrongKey = await Assert.ThrowsAsync<CstDomainError>(() =>
            Client.GetGrain<IEnteGrain>(other).RegisterAsync(Comune(istat, "Comune X", new LocalDate(2022, 1, 1)), Operator));
        Assert.Contains(istat, wrongKey.Message, StringComparison.Ordinal);
        var unknownListino = await Assert.ThrowsAsync<CstDomainError>(() => Client.GetGrain<IEnteGrain>(istat).RegisterAsync(
            Comune(istat, "Comune X", new LocalDate(2022, 1, 1)) with { ListinoId = "nowhere" }, Operator));
        Assert.Contains("nowhere", unknownListino.Message, StringComparison.Ordinal);

        Assert.False(await Client.GetGrain<IEnteGrain>(invalid).ExistsAsync());
        Assert.Empty(await cluster.StoredRowsAsync(invalid));
        Assert.Empty(await cluster.StoredRowsAsync(other));
        Assert.Empty(await cluster.StoredRowsAsync(istat));
        Assert.Empty(await cluster.AuditAsync("ente:" + istat));
    }

    [Fact]
    public async Task Register_AnUnione_IsKeyedByItsCodiceFiscale_AndRegisteringTwiceChangesNothing()
    {
        var cf = NewCodiceFiscale();
        var registration = new EnteRegistration("Unione Colli Euganei", EnteKind.UnioneDiComuni, null, cf,
            new LocalDate(2021, 1, 1), TestEnti.Listino, "Unione@PEC.Example.it", "ced@example.it", "Ufficio CED");

        await Client.GetGrain<IEnteGrain>(cf).RegisterAsync(registration, Operator);
        var again = await Client.GetGrain<IEnteGrain>(cf).RegisterAsync(registration, Operator);

        Assert.Equal("unione@pec.example.it", again.Registration.ReferentePec);
        Assert.Equal([$"{Operator} register"], await cluster.AuditAsync("ente:" + cf));
        var found = await Client.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key).SearchAsync("colli euganei", 10);
        Assert.Contains(found, e => e.EnteId == cf);
        var byCode = await Client.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key).SearchAsync(cf[..7], 10);
        Assert.Contains(byCode, e => e.EnteId == cf);
    }

    [Fact]
    public async Task Register_AnExistingKeyWithAnotherIdentity_IsRefusedNamingTheEnte_AndChangesNothing()
    {
        var name = "Comune di Abano " + Unique("T");
        var ente = await NewComuneAsync(Client, new LocalDate(2015, 1, 1), name);
        var grain = Client.GetGrain<IEnteGrain>(ente);
        var stored = await cluster.StoredRowsAsync(ente);

        // "Add ente" with the key of an existing one: another name, another adhesion, no referente.
        var add = new EnteRegistration("Comune di Prova", EnteKind.Comune, ente, null, new LocalDate(2020, 1, 1), TestEnti.Listino, null, null, null);
        var refused = await Assert.ThrowsAsync<CstDomainError>(() => grain.RegisterAsync(add, Operator));
        var refusedWithFacts = await Assert.ThrowsAsync<CstDomainError>(() => grain.CreateAsync(new EnteCreation(add, [new(2026, 900)], null), Operator));

        Assert.Equal($"ente {ente} is already registered as {name}; use edit", refused.Message);
        Assert.Equal(refused.Message, refusedWithFacts.Message);
        var view = await grain.GetAsync();
        Assert.Equal((name, new LocalDate(2015, 1, 1), "Ufficio CED"), (view.Registration.Name, view.Registration.AdheredOn, view.Registration.ReferenteName));
        Assert.Empty(view.Population);
        Assert.Equal(stored, await cluster.StoredRowsAsync(ente));
        Assert.Equal([$"{Operator} register"], await cluster.AuditAsync("ente:" + ente));
    }

    [Fact]
    public async Task Edit_ChangesTheIdentity_AuditedFieldByFieldWithBeforeAndAfter_AndReachesTheDirectory()
    {
        var name = "Comune di Abano " + Unique("T");
        var ente = await NewComuneAsync(Client, new LocalDate(2015, 1, 1), name);
        var grain = Client.GetGrain<IEnteGrain>(ente);
        var edited = Comune(ente, "Comune di Abano Terme " + ente, new LocalDate(2016, 1, 1)) with { ReferenteName = "Segreteria generale" };

        var view = await grain.EditAsync(edited, Operator);
        var again = await grain.EditAsync(edited, Operator);

        Assert.Equal((edited.Name, new LocalDate(2016, 1, 1)), (view.Registration.Name, view.Registration.AdheredOn));
        Assert.Equal(view, again);
        Assert.Equal(
            [
                $"{Operator} edit: name '{name}', adhered on '2015-01-01', referente 'Ufficio CED' => "
                + $"name '{edited.Name}', adhered on '2016-01-01', referente 'Segreteria generale'",
            ],
            await cluster.ReadAsync(
                "SELECT operator || ' ' || action || ': ' || before_summary || ' => ' || after_summary FROM audit WHERE object = $1 AND action <> 'register' ORDER BY id",
                "ente:" + ente));
        Assert.Equal(edited.Name, (await Client.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key).SearchAsync(ente, 5)).Single().Name);

        // The key and the listino are not an edit.
        var listino = await Assert.ThrowsAsync<CstDomainError>(() => grain.EditAsync(edited with { ListinoId = "cit-brescia" }, Operator));
        Assert.Contains("listino cst-padova", listino.Message, StringComparison.Ordinal);
        var key = await Assert.ThrowsAsync<CstDomainError>(() => grain.EditAsync(edited with { IstatCode = NewIstatCode() }, Operator));
        Assert.Contains(ente, key.Message, StringComparison.Ordinal);
        var missing = NewIstatCode();
        await Assert.ThrowsAsync<CstDomainError>(() => Client.GetGrain<IEnteGrain>(missing).EditAsync(Comune(missing, "Comune X", new LocalDate(2020, 1, 1)), Operator));
        Assert.Empty(await cluster.StoredRowsAsync(missing));
    }

    [Fact]
    public async Task Create_WithPopulationAndPayer_IsOneChange_AndAnUnknownCapofilaLeavesNothing()
    {
        var capofila = await NewComuneAsync(Client, new LocalDate(2010, 1, 1), "Comune Capofila");
        var istat = NewIstatCode();
        var grain = Client.GetGrain<IEnteGrain>(istat);
        var registration = Comune(istat, "Comune Nuovo " + istat, new LocalDate(2024, 1, 1));

        var unknown = await Assert.ThrowsAsync<CstDomainError>(() => grain.CreateAsync(new EnteCreation(registration, [new(2026, 1_234)], "999999"), Operator));
        Assert.Contains("999999", unknown.Message, StringComparison.Ordinal);
        Assert.False(await grain.ExistsAsync());
        Assert.Empty(await cluster.StoredRowsAsync(istat));
        Assert.Empty(await cluster.AuditAsync("ente:" + istat));
        Assert.DoesNotContain(await Client.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key).ListAsync(), e => e.EnteId == istat);

        var view = await grain.CreateAsync(new EnteCreation(registration, [new(2026, 1_234)], capofila), Operator);

        Assert.Equal([new PopulationCount(2026, 1_234)], view.Population);
        Assert.Equal([new PayerChange(2024, capofila)], view.Payers);
        Assert.Equal(capofila, view.CapofilaId);
        Assert.Equal([$"{Operator} register"], await cluster.AuditAsync("ente:" + istat));
    }

    [Fact]
    public async Task Payer_IsADatedFact_EarlierYearsKeepTheirPayer_ALaterDecisionReplacesPlannedOnes()
    {
        var abano = await NewComuneAsync(Client, new LocalDate(2010, 1, 1), "Comune di Abano");
        var padova = await NewComuneAsync(Client, new LocalDate(2010, 1, 1), "Comune di Padova");
        var agna = await NewComuneAsync(Client, new LocalDate(2020, 1, 1), "Comune di Agna");
        var grain = Client.GetGrain<IEnteGrain>(agna);

        await grain.SetPayerAsync(padova, 2020, Operator);
        await grain.SetPayerAsync(abano, 2026, Operator);
        var view = await grain.SetPayerAsync(null, 2028, Operator);

        Assert.Equal(new string?[] { null, padova, padova, abano, abano, null }, new[] { 2019, 2020, 2025, 2026, 2027, 2028 }.Select(view.CapofilaIn));
        Assert.Equal($"payer {padova}, {abano} from 2026, itself from 2028", PayerHistory.Describe(view.Payers, 2020));

        // From 2027 on Padova again: 2026 stays with Abano, the planned return to itself is replaced.
        view = await grain.SetPayerAsync(padova, 2027, Operator);
        Assert.Equal([new PayerChange(2020, padova), new PayerChange(2026, abano), new PayerChange(2027, padova)], view.Payers);
        Assert.Equal(
            $"payer {padova}, {abano} from 2026, itself from 2028 => payer {padova}, {abano} from 2026, {padova} from 2027",
            (await cluster.ReadAsync("SELECT before_summary || ' => ' || after_summary FROM audit WHERE object = $1 ORDER BY id DESC LIMIT 1", "ente:" + agna)).Single());
    }

    [Fact]
    public async Task Payer_StoredBeforeItWasDated_ReadsAsTheCapofilaFromTheStart()
    {
        var capofila = await NewComuneAsync(Client, new LocalDate(2010, 1, 1), "Comune Capofila");
        var istat = NewIstatCode();
        // A state as stored before payers were dated: one capofila, no history.
        var silo = (InProcessSiloHandle)cluster.Cluster.Silos[0];
        var storage = silo.ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        await storage.WriteStateAsync("ente", GrainId.Create("ente", istat),
            new GrainState<EnteState>(new EnteState { Registration = Comune(istat, "Comune Vecchio " + istat, new LocalDate(2015, 1, 1)), CapofilaId = capofila }));
        var grain = Client.GetGrain<IEnteGrain>(istat);

        var view = await grain.GetAsync();

        Assert.Equal([new PayerChange(2000, capofila)], view.Payers);
        Assert.Equal((capofila, capofila), (view.CapofilaIn(2015), view.CapofilaId));
        Assert.Equal($"payer {capofila}", PayerHistory.Describe(view.Payers, 2015));

        // The first dated change keeps the years before it with the old capofila.
        view = await grain.SetPayerAsync(null, 2027, Operator);
        Assert.Equal([new PayerChange(2000, capofila), new PayerChange(2027, null)], view.Payers);
        Assert.Equal((capofila, null), (view.CapofilaIn(2026), view.CapofilaIn(2027)));
    }

    [Fact]
    public async Task Payer_IsItselfOrARegisteredCapofila_NeverItselfByName()
    {
        var capofila = await NewComuneAsync(Client, new LocalDate(2020, 1, 1), "Comune Capofila");
        var member = await NewComuneAsync(Client, new LocalDate(2020, 1, 1), "Comune Associato");
        var grain = Client.GetGrain<IEnteGrain>(member);

        await Assert.ThrowsAsync<CstDomainError>(() => grain.SetPayerAsync(member, 2020, Operator));
        var unknown = await Assert.ThrowsAsync<CstDomainError>(() => grain.SetPayerAsync("999999", 2020, Operator));
        Assert.Contains("999999", unknown.Message, StringComparison.Ordinal);
        Assert.Null((await grain.GetAsync()).CapofilaId);

        Assert.Equal(capofila, (await grain.SetPayerAsync(capofila, 2020, Operator)).CapofilaId);
        Assert.Null((await grain.SetPayerAsync(null, 2020, Operator)).CapofilaId);
        Assert.Equal([$"{Operator} register", $"{Operator} set payer", $"{Operator} set payer"], await cluster.AuditAsync("ente:" + member));
    }

    [Fact]
    public async Task Withdrawal_EndsEveryObjectOnThatDate_NoticesTheirCessation_AndRefusesLaterActivations()
    {
        var today = cluster.Today;
        var ente = await NewComuneAsync(Client, new LocalDate(2020, 1, 1));
        var grain = Client.GetGrain<IEnteGrain>(ente);
        await grain.SetPopulationAsync(today.Year, 2_000, Operator);
        var address = NewMailboxAddress();
        await Client.GetGrain<IPecMailboxGrain>(address).RequestAsync(new PecMailboxRequest(ente, "gold", today.PlusYears(-1)), Operator);
        await Client.GetGrain<IPecMailboxGrain>(address).ActivateAsync(today.PlusYears(-1), Operator);
        var service = HostedServiceKey.For(ente, "s.13", "1");
        await Client.GetGrain<IHostedServiceGrain>(service).ActivateAsync(new HostedServiceActivation("avanzato", today.PlusMonths(-2), 10m, null), Operator);
        var serial = NewSerial();
        await Client.GetGrain<IFirmaDeviceGrain>(serial).IssueAsync(new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "X", today.PlusYears(-1)), Operator);

        var on = today.PlusDays(10);
        var withdrawn = await grain.WithdrawAsync(on, Operator);

        Assert.Equal(on, withdrawn.WithdrawnOn);
        Assert.Equal(on, (await Client.GetGrain<IPecMailboxGrain>(address).GetAsync()).EndsOn);
        Assert.Equal(on, (await Client.GetGrain<IHostedServiceGrain>(service).GetAsync()).EndsOn);
        var history = await grain.GetBillingHistoryAsync();
        Assert.All(history.Subscriptions.Where(s => s.Id != serial), s => Assert.Equal(on, s.CeasedOn));
        Assert.Equal(on, history.Subscriptions.Single(s => s.Id == serial).CeasedOn);

        cluster.SetToday(on);
        Assert.Equal(ServiceStatus.Ceased, (await Client.GetGrain<IPecMailboxGrain>(address).HandleDeadlinesAsync()).Status);
        await Client.GetGrain<IHostedServiceGrain>(service).HandleDeadlinesAsync();
        Assert.Contains($"Cessation {Iso(on)}", await cluster.NoticesAsync(address));
        Assert.Contains($"Cessation {Iso(on)}", await cluster.NoticesAsync(service));

        var late = HostedServiceKey.For(ente, "s.13", "2");
        var error = await Assert.ThrowsAsync<CstDomainError>(() => Client.GetGrain<IHostedServiceGrain>(late)
            .ActivateAsync(new HostedServiceActivation("base", on.PlusDays(1), 3m, null), Operator));
        Assert.Contains("withdrew", error.Message, StringComparison.Ordinal);
        Assert.Empty(await cluster.StoredRowsAsync(late));
        var entry = (await Client.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key).SearchAsync(ente, 5)).Single();
        Assert.Equal(on, entry.WithdrawnOn);
    }

    [Fact]
    public async Task Population_Negative_IsRefused_AndTheEnteStaysAsItWas()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2020, 1, 1));
        var rows = await cluster.StoredRowsAsync(ente);

        var error = await Assert.ThrowsAsync<CstDomainError>(() => Client.GetGrain<IEnteGrain>(ente).SetPopulationAsync(2025, -3, Operator));

        Assert.Contains("-3", error.Message, StringComparison.Ordinal);
        Assert.Empty((await Client.GetGrain<IEnteGrain>(ente).GetAsync()).Population);
        Assert.Equal(rows, await cluster.StoredRowsAsync(ente));
    }

    private static ImmutableList<StatementLine> Sorted(IEnumerable<StatementLine> lines) =>
        [.. lines.OrderBy(l => l.SubscriptionId, StringComparer.Ordinal).ThenBy(l => l.ComponentId, StringComparer.Ordinal)
            .ThenBy(l => l.PeriodStart)];

    private static string Iso(LocalDate date) => NodaTime.Text.LocalDatePattern.Iso.Format(date);

}
