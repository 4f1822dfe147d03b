using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Services;
using Cst.Actors.Domain.Lifecycle;
using NodaTime;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests;

[Collection(GrainsCollection.Name)]
public sealed class HostedServiceTests(GrainsCluster cluster)
{
    private IClusterClient Client => cluster.Client;

    [Fact]
    public async Task BadActivations_AreRefused_WithTheValuesNamed_AndStoreNothing()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2022, 1, 1));
        var cases = new (string Key, HostedServiceActivation Activation, string Named)[]
        {
            (HostedServiceKey.For(ente, "s.13", "neg"), new HostedServiceActivation("base", new LocalDate(2023, 1, 1), -4m, null), "-4"),
            (HostedServiceKey.For(ente, "s.99", "1"), new HostedServiceActivation(null, new LocalDate(2023, 1, 1), 1m, null), "s.99"),
            (HostedServiceKey.For(ente, "s.13", "var"), new HostedServiceActivation("extreme", new LocalDate(2023, 1, 1), 1m, null), "extreme"),
            (HostedServiceKey.For(ente, "s.13", "early"), new HostedServiceActivation("base", new LocalDate(2021, 6, 1), 1m, null), "2021-06-01"),
            (HostedServiceKey.For(ente, "s.13", "price"), new HostedServiceActivation("base", new LocalDate(2023, 1, 1), 1m, 99m), "99"),
            ("not-a-key", new HostedServiceActivation(null, new LocalDate(2023, 1, 1), 1m, null), "not-a-key"),

            // What the pricing core could not price: on-quotation hosting with no agreed price, antivirus for 0 clients.
            (HostedServiceKey.For(ente, "s.10", "1"), new HostedServiceActivation(null, new LocalDate(2023, 1, 1), 1m, null), "agreed price"),
            (HostedServiceKey.For(ente, "s.13", "zero"), new HostedServiceActivation("base", new LocalDate(2023, 1, 1), 0m, null), "client/server"),
            (HostedServiceKey.For(ente, "s.10", "cents"), new HostedServiceActivation(null, new LocalDate(2023, 1, 1), 1m, 1200.005m), "1200.005"),
        };

        foreach (var (key, activation, named) in cases)
        {
            var error = await Assert.ThrowsAsync<CstDomainError>(() => Client.GetGrain<IHostedServiceGrain>(key).ActivateAsync(activation, Operator));
            Assert.Contains(named, error.Message, StringComparison.Ordinal);
            Assert.Empty(await cluster.StoredRowsAsync(key));
            Assert.Empty(await cluster.AuditAsync("service:" + key));
        }

        Assert.Empty((await Client.GetGrain<Contracts.Enti.IEnteGrain>(ente).GetAsync()).Children);
    }

    [Fact]
    public async Task Changes_AreIdempotentUpserts_AndIllegalOnesLeaveTheStoredRowUnchanged()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2022, 1, 1));
        var key = HostedServiceKey.For(ente, "s.15", "1");
        var service = Client.GetGrain<IHostedServiceGrain>(key);
        var activation = new HostedServiceActivation(null, new LocalDate(2024, 1, 10), 1m, null);
        var first = await service.ActivateAsync(activation, Operator);
        await service.ActivateAsync(activation, Operator);
        await service.RecordConsumptionAsync(new ConsumptionEntry("ODL-7", new LocalDate(2024, 3, 3), 1m, "giornata-avanzato"), Operator);
        await service.RecordConsumptionAsync(new ConsumptionEntry("ODL-7", new LocalDate(2024, 3, 3), 1m, "giornata-avanzato"), Operator);
        var corrected = await service.RecordConsumptionAsync(new ConsumptionEntry("ODL-7", new LocalDate(2024, 3, 3), 2m, "giornata-avanzato"), Operator);

        Assert.False(first.Renews);
        Assert.Null(first.Deadlines.ArmedFor);
        Assert.Single(corrected.Consumption);
        Assert.Equal(2m, corrected.Subscription.Consumption.Single().Quantity);
        Assert.Equal([$"{Operator} activate", $"{Operator} record consumption", $"{Operator} record consumption"],
            await cluster.AuditAsync("service:" + key));

        await service.CeaseAsync(new LocalDate(2024, 12, 1), Operator);
        var rows = await cluster.StoredRowsAsync(key);
        var before = await service.GetAsync();
        await Assert.ThrowsAsync<CstDomainError>(() => service.RecordConsumptionAsync(new ConsumptionEntry("ODL-8", new LocalDate(2024, 12, 5), 1m, "giornata-base"), Operator));
        await Assert.ThrowsAsync<CstDomainError>(() => service.RecordConsumptionAsync(new ConsumptionEntry("ODL-9", new LocalDate(2024, 6, 5), 1m, "sms"), Operator));
        await Assert.ThrowsAsync<CstDomainError>(() => service.RecordConsumptionAsync(new ConsumptionEntry("ODL-10", new LocalDate(2024, 6, 5), 0m, "giornata-base"), Operator));
        await Assert.ThrowsAsync<CstDomainError>(() => service.ReceiveDisdettaAsync(new LocalDate(2024, 12, 2), "late", Operator));
        await Assert.ThrowsAsync<CstDomainError>(() => service.SetAgreedPriceAsync(100m, Operator));

        Assert.Equal(rows, await cluster.StoredRowsAsync(key));
        Assert.Equal(before.EndsOn, (await service.GetAsync()).EndsOn);
        Assert.Equal(before.Consumption, (await service.GetAsync()).Consumption);
    }

    [Fact]
    public async Task AnnualService_RenewsEveryJanuary_UntilItsDisdetta_AndNoticesEachStep()
    {
        var y = cluster.Today.Year + 1;
        var ente = await NewComuneAsync(Client, new LocalDate(2020, 1, 1));
        var key = HostedServiceKey.For(ente, "s.14", "ads");
        var service = Client.GetGrain<IHostedServiceGrain>(key);
        var view = await service.ActivateAsync(new HostedServiceActivation(null, new LocalDate(y, 3, 1), 1m, null), Operator);
        Assert.True(view.Renews);
        Assert.Equal(new LocalDate(y, 12, 1), view.Deadlines.ArmedFor);

        cluster.SetToday(new LocalDate(y + 1, 2, 1));
        var disdetta = await service.ReceiveDisdettaAsync(new LocalDate(y + 1, 2, 1), "prot. 12/" + (y + 1), Operator);
        Assert.Equal(ServiceStatus.DisdettaReceived, disdetta.Status);
        Assert.Equal(new LocalDate(y + 2, 1, 1), disdetta.Deadlines.ArmedFor);

        cluster.SetToday(new LocalDate(y + 2, 1, 1));
        Assert.Equal(ServiceStatus.Ceased, (await service.HandleDeadlinesAsync()).Status);
        Assert.Equal(
            [$"DisdettaWarning {y}-12-01", $"DisdettaDeadline {y}-12-31", $"Renewal {y + 1}-01-01", $"Cessation {y + 2}-01-01"],
            await cluster.NoticesAsync(key));
    }
    [Fact]
    public async Task RecordConsumption_WithoutItsComponent_IsRefusedNamingTheChoices_AndWritesNothing()
    {
        // s.15 Global Service has two consumption components (BASE EUR 288.00, AVANZATO EUR 393.00 a day): a record
        // naming neither could not be priced, and every statement of the ente would then fail.
        var today = cluster.Today;
        var ente = await NewComuneAsync(Client, new LocalDate(2022, 1, 1));
        await Client.GetGrain<IEnteGrain>(ente).SetPopulationAsync(today.Year, 3_000, Operator);
        var key = HostedServiceKey.For(ente, "s.15", "1");
        var service = Client.GetGrain<IHostedServiceGrain>(key);
        await service.ActivateAsync(new HostedServiceActivation(null, new LocalDate(2024, 1, 10), 1m, null), Operator);
        var rows = await cluster.StoredRowsAsync(key);
        var enteRows = await cluster.StoredRowsAsync(ente);
        var before = await service.GetAsync();

        var none = await Assert.ThrowsAsync<CstDomainError>(
            () => service.RecordConsumptionAsync(new ConsumptionEntry("WO-2026-0042", today, 2m, null), Operator));
        var unknown = await Assert.ThrowsAsync<CstDomainError>(
            () => service.RecordConsumptionAsync(new ConsumptionEntry("WO-2026-0043", today, 2m, "giornata-premium"), Operator));

        Assert.Contains("must name its component", none.Message, StringComparison.Ordinal);
        Assert.Contains("giornata-base (EUR 288.00 per giornata)", none.Message, StringComparison.Ordinal);
        Assert.Contains("giornata-avanzato (EUR 393.00 per giornata)", none.Message, StringComparison.Ordinal);
        Assert.Contains("'giornata-premium'", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(rows, await cluster.StoredRowsAsync(key));
        Assert.Equal(enteRows, await cluster.StoredRowsAsync(ente));
        Assert.Equal([$"{Operator} activate"], await cluster.AuditAsync("service:" + key));
        Assert.Equal(before.Consumption, (await service.GetAsync()).Consumption);

        // Named, it is priced: 2 AVANZATO days x EUR 393.00 = EUR 786.00 on this year's statement.
        await service.RecordConsumptionAsync(new ConsumptionEntry("WO-2026-0042", today, 2m, "giornata-avanzato"), Operator);
        var statement = await Client.GetGrain<IEnteGrain>(ente).GetStatementAsync(today.Year);
        Assert.Equal(786m, statement.Lines.Where(l => l.ServiceId == "s.15").Sum(l => l.Amount.Euros));
    }

    [Fact]
    public async Task Disdetta_DatedAfterToday_IsRefused_WhileACessationAfterTodayIsAPlannedChange()
    {
        var today = cluster.Today;
        var later = today.PlusDays(46);
        var ente = await NewComuneAsync(Client, new LocalDate(2022, 1, 1));
        var key = HostedServiceKey.For(ente, "s.13", "1");
        var service = Client.GetGrain<IHostedServiceGrain>(key);
        await service.ActivateAsync(new HostedServiceActivation("base", new LocalDate(2024, 1, 1), 10m, null), Operator);
        var rows = await cluster.StoredRowsAsync(key);

        var error = await Assert.ThrowsAsync<CstDomainError>(() => service.ReceiveDisdettaAsync(later, "prot. 1", Operator));

        Assert.Equal("FutureFact", error.Kind);
        Assert.Contains($"a disdetta cannot be received on {Iso(later)}, after today {Iso(today)}", error.Message, StringComparison.Ordinal);
        Assert.Equal(rows, await cluster.StoredRowsAsync(key));
        Assert.Equal([$"{Operator} activate"], await cluster.AuditAsync("service:" + key));

        var ceasing = await service.CeaseAsync(later, Operator);
        Assert.Equal(later, ceasing.EndsOn);
        Assert.Equal(ServiceStatus.Active, ceasing.Status);
        Assert.Equal([$"{Operator} activate", $"{Operator} cease"], await cluster.AuditAsync("service:" + key));
    }

    private static string Iso(LocalDate date) => NodaTime.Text.LocalDatePattern.Iso.Format(date);
}
