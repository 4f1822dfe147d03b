using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Domain.Lifecycle;
using NodaTime;
using Xunit.Abstractions;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests;

[Collection(GrainsCollection.Name)]
public sealed class PecMailboxTests(GrainsCluster cluster, ITestOutputHelper output)
{
    private IClusterClient Client => cluster.Client;

    [Fact]
    public async Task RequestAndActivate_ActivationBeforeTheRequest_IsRefusedAndLeavesNoMailboxAuditOrIndexEntry()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2020, 1, 1));
        var address = NewMailboxAddress();
        var mailbox = Client.GetGrain<IPecMailboxGrain>(address);
        var before = await DumpAsync(ente, address);

        // The console's "new mailbox" with an activation date before the request: one decision, refused whole.
        var refused = await Assert.ThrowsAsync<CstDomainError>(() => mailbox.RequestAndActivateAsync(
            new PecMailboxRequest(ente, "standard", new LocalDate(2026, 3, 10)), new LocalDate(2026, 3, 1), Operator));

        var after = await DumpAsync(ente, address);
        output.WriteLine("before:\n" + string.Join("\n", before) + "\nafter the refusal:\n" + string.Join("\n", after));
        Assert.Contains("2026-03-01", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, after);
        Assert.DoesNotContain(after, row => row.Contains(address, StringComparison.Ordinal));
        Assert.Equal("NotFound", (await Assert.ThrowsAsync<CstDomainError>(() => mailbox.GetAsync())).Kind);
        Assert.Empty((await Client.GetGrain<IEnteGrain>(ente).GetAsync()).Children);

        // The same decision with the dates in order: both facts, one state write, the ente's index holds it.
        var view = await mailbox.RequestAndActivateAsync(new PecMailboxRequest(ente, "standard", new LocalDate(2026, 3, 1)), new LocalDate(2026, 3, 10), Operator);
        Assert.Equal((new LocalDate(2026, 3, 1), new LocalDate(2026, 3, 10)), (view.RequestedOn, view.ActivatedOn));
        Assert.Equal([$"{Operator} request", $"{Operator} activate"], await cluster.AuditAsync("pec:" + address));
        Assert.StartsWith("pecmailbox ", Assert.Single(await cluster.StoredRowsAsync(address)), StringComparison.Ordinal);
        Assert.Equal(address, Assert.Single((await Client.GetGrain<IEnteGrain>(ente).GetAsync()).Children).Key);
    }

    /// <summary>The rows of the stored grains, audit and notices that concern the ente and the mailbox.</summary>
    private async Task<IReadOnlyList<string>> DumpAsync(string ente, string address)
    {
        var storage = new List<string>();
        foreach (var key in new[] { ente, address })
        {
            storage.AddRange((await cluster.StoredRowsAsync(key)).Select(row => $"orleans_storage {key} {row}"));
        }

        var audit = await cluster.ReadAsync(
            "SELECT 'audit ' || object || ' ' || action || ' ' || coalesce(after_summary, '') FROM audit WHERE object IN ($1, $2) ORDER BY id",
            "ente:" + ente, "pec:" + address);
        var notices = await cluster.ReadAsync("SELECT 'notice ' || object || ' ' || kind FROM notice WHERE ente = $1 OR object = $2 ORDER BY id", ente, address);
        return [.. storage, .. audit, .. notices];
    }

    [Fact]
    public async Task Disdetta_OnDecember31_EndsThatYear_OnJanuary1_EndsAYearLater_WithTheirNotices()
    {
        // A year entirely ahead of the shared clock, so every deadline of the test is still to come.
        var y = cluster.Today.Year + 1;
        var ente = await NewComuneAsync(Client, new LocalDate(2020, 1, 1));
        var december = await NewActiveMailboxAsync(ente, new LocalDate(y, 2, 1));
        var january = await NewActiveMailboxAsync(ente, new LocalDate(y, 2, 1));

        // 31 December of y: the deadline day; the disdetta arrives in time for the first mailbox.
        cluster.SetToday(new LocalDate(y, 12, 31));
        await Client.GetGrain<IPecMailboxGrain>(december).HandleDeadlinesAsync();
        var ended = await Client.GetGrain<IPecMailboxGrain>(december)
            .ReceiveDisdettaAsync(new LocalDate(y, 12, 31), "prot. 2026/1234", Operator);
        Assert.Equal(new LocalDate(y + 1, 1, 1), ended.EndsOn);
        Assert.Equal(ServiceStatus.DisdettaReceived, ended.Status);

        // 1 January of y+1: too late for y; the second mailbox's disdetta ends it at the end of y+1.
        cluster.SetToday(new LocalDate(y + 1, 1, 1));
        await Client.GetGrain<IPecMailboxGrain>(january).HandleDeadlinesAsync();
        var late = await Client.GetGrain<IPecMailboxGrain>(january)
            .ReceiveDisdettaAsync(new LocalDate(y + 1, 1, 1), "prot. 2027/0001", Operator);
        Assert.Equal(new LocalDate(y + 2, 1, 1), late.EndsOn);

        cluster.SetToday(new LocalDate(y + 2, 1, 2));
        var first = await Client.GetGrain<IPecMailboxGrain>(december).HandleDeadlinesAsync();
        var second = await Client.GetGrain<IPecMailboxGrain>(january).HandleDeadlinesAsync();
        Assert.Equal(ServiceStatus.Ceased, first.Status);
        Assert.Equal(ServiceStatus.Ceased, second.Status);

        Assert.Equal(
            [$"DisdettaWarning {y}-12-01", $"DisdettaDeadline {y}-12-31", $"Cessation {y + 1}-01-01"],
            await cluster.NoticesAsync(december));
        Assert.Equal(
            [$"DisdettaWarning {y}-12-01", $"DisdettaDeadline {y}-12-31", $"Renewal {y + 1}-01-01", $"Cessation {y + 2}-01-01"],
            await cluster.NoticesAsync(january));

        // The statements agree: the first mailbox is billed for y only, the second for y and y+1.
        var history = await Client.GetGrain<IEnteGrain>(ente).GetBillingHistoryAsync();
        Assert.Equal(new LocalDate(y + 1, 1, 1), history.Subscriptions.Single(s => s.Id == december).DisdettaReceivedOn!.Value.PlusDays(1));
        Assert.Null(first.Deadlines.ArmedFor);
    }

    [Fact]
    public async Task IllegalTransitions_AndBadInput_ChangeNeitherStateNorStoredRow()
    {
        var today = cluster.Today;
        var ente = await NewComuneAsync(Client, new LocalDate(2021, 3, 1));
        var address = await NewActiveMailboxAsync(ente, new LocalDate(2021, 4, 1));
        var mailbox = Client.GetGrain<IPecMailboxGrain>(address);
        await mailbox.ReceiveDisdettaAsync(new LocalDate(2022, 6, 10), "prot. 77", Operator);
        var before = await mailbox.GetAsync();
        var rowsBefore = await cluster.StoredRowsAsync(address);
        var enteRowsBefore = await cluster.StoredRowsAsync(ente);
        var auditBefore = await cluster.AuditAsync("pec:" + address);

        // A disdetta on a ceased mailbox (it ceased on 2023-01-01).
        var ceased = await Assert.ThrowsAsync<CstDomainError>(() =>
            mailbox.ReceiveDisdettaAsync(new LocalDate(2024, 2, 1), "prot. 99", Operator));
        Assert.Equal("IllegalTransition", ceased.Kind);
        Assert.Contains(address, ceased.Message, StringComparison.Ordinal);
        Assert.Contains("2024-02-01", ceased.Message, StringComparison.Ordinal);

        // A second, different disdetta; an unknown tier; a negative extra space; a change after the end.
        await Assert.ThrowsAsync<CstDomainError>(() => mailbox.ReceiveDisdettaAsync(new LocalDate(2022, 7, 1), "x", Operator));
        var tier = await Assert.ThrowsAsync<CstDomainError>(() => mailbox.ChangeTierAsync(new LocalDate(2022, 1, 1), "platinum", Operator));
        Assert.Contains("platinum", tier.Message, StringComparison.Ordinal);
        var negative = await Assert.ThrowsAsync<CstDomainError>(() => mailbox.SetExtraSpaceAsync(new LocalDate(2022, 1, 1), -2m, Operator));
        Assert.Contains("-2", negative.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CstDomainError>(() => mailbox.SetConservazioneAsync(new LocalDate(2023, 1, 1), 1m, Operator));
        await Assert.ThrowsAsync<CstDomainError>(() => mailbox.ActivateAsync(new LocalDate(2021, 5, 1), Operator));
        await Assert.ThrowsAsync<CstDomainError>(() => mailbox.ChangeTierAsync(new LocalDate(2022, 1, 1), "gold", " "));

        Assert.Equal(before, await mailbox.GetAsync() with { Subscriptions = before.Subscriptions, Deadlines = before.Deadlines });
        Assert.Equal(before.Subscriptions, (await mailbox.GetAsync()).Subscriptions);
        Assert.Equal(rowsBefore, await cluster.StoredRowsAsync(address));
        Assert.Equal(enteRowsBefore, await cluster.StoredRowsAsync(ente));
        Assert.Equal(auditBefore, await cluster.AuditAsync("pec:" + address));
        _ = today;
    }

    [Fact]
    public async Task Activation_BeforeTheEntesAdhesion_IsRefused_AndLeavesTheRequestAsItWas()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2022, 1, 1));
        var address = NewMailboxAddress();
        var mailbox = Client.GetGrain<IPecMailboxGrain>(address);
        await mailbox.RequestAsync(new PecMailboxRequest(ente, "gold", new LocalDate(2021, 12, 1)), Operator);
        var rows = await cluster.StoredRowsAsync(address);

        var error = await Assert.ThrowsAsync<CstDomainError>(() => mailbox.ActivateAsync(new LocalDate(2021, 12, 15), Operator));

        Assert.Contains("2021-12-15", error.Message, StringComparison.Ordinal);
        Assert.Contains("2022-01-01", error.Message, StringComparison.Ordinal);
        Assert.Equal(ServiceStatus.Requested, (await mailbox.GetAsync()).Status);
        Assert.Null((await mailbox.GetAsync()).ActivatedOn);
        Assert.Equal(rows, await cluster.StoredRowsAsync(address));
    }

    [Fact]
    public async Task Request_WithAnInvalidAddressOrAnUnknownTier_IsRefused_AndStoresNothing()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2022, 1, 1));

        var bad = await Assert.ThrowsAsync<CstDomainError>(() =>
            Client.GetGrain<IPecMailboxGrain>("no-at-sign.pec.it").RequestAsync(new PecMailboxRequest(ente, "gold", new LocalDate(2023, 1, 1)), Operator));
        Assert.Equal("InvalidPecAddress", bad.Kind);
        var address = NewMailboxAddress();
        var tier = await Assert.ThrowsAsync<CstDomainError>(() =>
            Client.GetGrain<IPecMailboxGrain>(address).RequestAsync(new PecMailboxRequest(ente, "diamond", new LocalDate(2023, 1, 1)), Operator));
        Assert.Equal("UnknownCatalogueItem", tier.Kind);
        var missing = await Assert.ThrowsAsync<CstDomainError>(() => Client.GetGrain<IPecMailboxGrain>(address).GetAsync());
        Assert.Equal("NotFound", missing.Kind);

        Assert.Empty(await cluster.StoredRowsAsync("no-at-sign.pec.it"));
        Assert.Empty(await cluster.StoredRowsAsync(address));
        Assert.Empty(await cluster.AuditAsync("pec:" + address));
    }

    [Fact]
    public async Task EveryChange_WritesOneAuditRow_WithOperatorAndBeforeAfter()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2020, 1, 1));
        var address = NewMailboxAddress();
        var mailbox = Client.GetGrain<IPecMailboxGrain>(address);

        await mailbox.RequestAsync(new PecMailboxRequest(ente, "standard", new LocalDate(2024, 1, 10)), "mario.rossi");
        await mailbox.RequestAsync(new PecMailboxRequest(ente, "standard", new LocalDate(2024, 1, 10)), "mario.rossi");
        await mailbox.ActivateAsync(new LocalDate(2024, 2, 1), "mario.rossi");
        await mailbox.ChangeTierAsync(new LocalDate(2024, 9, 1), "gold", "anna.bianchi");
        await mailbox.SetExtraSpaceAsync(new LocalDate(2024, 10, 1), 5m, "anna.bianchi");
        await mailbox.SetConservazioneAsync(new LocalDate(2024, 10, 1), 2m, "anna.bianchi");
        await mailbox.ReceiveDisdettaAsync(new LocalDate(2025, 3, 3), "PEC id 4711", "anna.bianchi");
        await mailbox.ReceiveDisdettaAsync(new LocalDate(2025, 3, 3), "PEC id 4711", "anna.bianchi");

        Assert.Equal(
            ["mario.rossi request", "mario.rossi activate", "anna.bianchi change tier", "anna.bianchi set extra space in GB",
                "anna.bianchi set conservazione in GB", "anna.bianchi disdetta"],
            await cluster.AuditAsync("pec:" + address));
        var row = await cluster.ReadAsync(
            "SELECT coalesce(before_summary, '-') || ' => ' || after_summary FROM audit WHERE object = $1 AND action = 'disdetta'",
            "pec:" + address);
        Assert.Contains("active from 2024-02-01", row.Single(), StringComparison.Ordinal);
        Assert.Contains("disdetta 2025-03-03 (PEC id 4711)", row.Single(), StringComparison.Ordinal);
        Assert.Equal(1, await cluster.CountAsync(
            "SELECT count(*) FROM audit WHERE object = $1 AND before_summary IS NULL", "pec:" + address));
    }

    [Fact]
    public async Task Disdetta_DatedAfterToday_IsRefusedNamingBothDates_AndWritesNothing()
    {
        var today = cluster.Today;
        var ente = await NewComuneAsync(Client, new LocalDate(2021, 3, 1));
        var address = await NewActiveMailboxAsync(ente, new LocalDate(2021, 4, 1));
        var mailbox = Client.GetGrain<IPecMailboxGrain>(address);
        var rows = await cluster.StoredRowsAsync(address);
        var enteRows = await cluster.StoredRowsAsync(ente);
        var later = today.PlusDays(46);

        var error = await Assert.ThrowsAsync<CstDomainError>(() => mailbox.ReceiveDisdettaAsync(later, "prot. 2027/1", Operator));

        Assert.Equal("FutureFact", error.Kind);
        Assert.Contains(address, error.Message, StringComparison.Ordinal);
        Assert.Contains($"a disdetta cannot be received on {Iso(later)}, after today {Iso(today)}", error.Message, StringComparison.Ordinal);
        Assert.Equal(rows, await cluster.StoredRowsAsync(address));
        Assert.Equal(enteRows, await cluster.StoredRowsAsync(ente));
        Assert.Equal([$"{Operator} request", $"{Operator} activate"], await cluster.AuditAsync("pec:" + address));
        Assert.Null((await mailbox.GetAsync()).DisdettaReceivedOn);
        Assert.Equal(today, (await mailbox.ReceiveDisdettaAsync(today, "prot. 2026/1", Operator)).DisdettaReceivedOn);
    }

    [Fact]
    public async Task Mailbox_ActivatedBeforeTheFirstListinoVersion_IsRecorded_AndBilledFromIt()
    {
        // A Padova mailbox of 2018: s.11 is first listed by the Disciplinare of 1 October 2020 (EUR 7.50/yr standard).
        // 2019: nothing; 2020: Oct-Dec 3 months, 7.50 x 3 / 12 = 1.875 -> 1.88; 2025: 7.50.
        var ente = await NewComuneAsync(Client, new LocalDate(2015, 1, 1));
        foreach (var year in new[] { 2019, 2020, 2025 })
        {
            await Client.GetGrain<IEnteGrain>(ente).SetPopulationAsync(year, 3_000, Operator);
        }

        var address = NewMailboxAddress();
        var mailbox = Client.GetGrain<IPecMailboxGrain>(address);
        await mailbox.RequestAsync(new PecMailboxRequest(ente, "standard", new LocalDate(2018, 4, 20)), Operator);
        var view = await mailbox.ActivateAsync(new LocalDate(2018, 5, 2), Operator);

        Assert.Equal(new LocalDate(2018, 5, 2), view.ActivatedOn);
        var grain = Client.GetGrain<IEnteGrain>(ente);
        Assert.DoesNotContain((await grain.GetStatementAsync(2019)).Lines, l => l.ServiceId == "s.11");
        Assert.Equal(1.88m, (await grain.GetStatementAsync(2020)).Lines.Where(l => l.ServiceId == "s.11").Sum(l => l.Amount.Euros));
        Assert.Equal(7.50m, (await grain.GetStatementAsync(2025)).Lines.Where(l => l.ServiceId == "s.11").Sum(l => l.Amount.Euros));
    }

    private static string Iso(LocalDate date) => NodaTime.Text.LocalDatePattern.Iso.Format(date);

    private async Task<string> NewActiveMailboxAsync(string ente, LocalDate activatedOn, string tier = "standard")
    {
        var address = NewMailboxAddress();
        var mailbox = Client.GetGrain<IPecMailboxGrain>(address);
        await mailbox.RequestAsync(new PecMailboxRequest(ente, tier, activatedOn.PlusDays(-5)), Operator);
        await mailbox.ActivateAsync(activatedOn, Operator);
        return address;
    }
}
