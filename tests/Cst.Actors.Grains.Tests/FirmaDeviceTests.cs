using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Domain.Deadlines;
using NodaTime;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests;

[Collection(GrainsCollection.Name)]
public sealed class FirmaDeviceTests(GrainsCluster cluster)
{
    private IClusterClient Client => cluster.Client;

    [Fact]
    public async Task Reminder_DeliversWarningsAt90_30_7Days_LastRenewalDayAndExpiry_OnceEach()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2020, 1, 1));
        var expiry = cluster.Today.PlusDays(100);
        var serial = NewSerial();
        var device = Client.GetGrain<IFirmaDeviceGrain>(serial);
        var issued = await device.IssueAsync(new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "Mario Rossi",
            expiry.PlusYears(-3)), Operator);
        Assert.Equal(expiry, issued.ExpiresOn);
        Assert.Equal(expiry.PlusDays(-90), issued.Deadlines.ArmedFor);

        string[] expected =
        [
            $"ExpiryWarning90Days {Iso(expiry.PlusDays(-90))}",
            $"ExpiryWarning30Days {Iso(expiry.PlusDays(-30))}",
            $"ExpiryWarning7Days {Iso(expiry.PlusDays(-7))}",
            $"LastRenewalDay {Iso(expiry.PlusDays(-1))}",
            $"Expiry {Iso(expiry)}",
        ];
        var dates = new[] { 90, 30, 7, 1, 0 }.Select(d => expiry.PlusDays(-d)).ToArray();
        for (var i = 0; i < dates.Length; i++)
        {
            // Nothing is noticed before its day; on its day the reminder alone delivers it.
            Assert.Equal(expected[..i], await cluster.NoticesAsync(serial));
            var count = i + 1;
            await cluster.AdvanceUntilAsync(dates[i],
                async () => (await cluster.NoticesAsync(serial)).Count >= count,
                $"the reminder of device {serial} to notice {expected[i]}");
        }

        // Past the expiry nothing more is due and no reminder is left; handling again adds nothing.
        cluster.SetToday(expiry.PlusDays(40));
        var after = await device.HandleDeadlinesAsync();
        Assert.Equal(expected, await cluster.NoticesAsync(serial));
        Assert.Equal(FirmaDeviceStatus.Expired, after.Status);
        Assert.Null(after.Deadlines.ArmedFor);
        Assert.Equal(0, await cluster.CountAsync(
            "SELECT count(*) FROM orleans_reminders WHERE grain_id LIKE '%' || $1", serial));
    }

    [Fact]
    public async Task Renewal_TheDayBeforeExpiry_IsAccepted_OnTheExpiryDay_IsRefusedAndChangesNothing()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2020, 1, 1));
        var issuedOn = new LocalDate(2023, 3, 1);
        var expiry = new LocalDate(2026, 3, 1);
        var onTime = NewSerial();
        var late = NewSerial();
        await Client.GetGrain<IFirmaDeviceGrain>(onTime).IssueAsync(new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "Anna Bianchi", issuedOn), Operator);
        await Client.GetGrain<IFirmaDeviceGrain>(late).IssueAsync(new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "Luca Verdi", issuedOn), Operator);

        await Client.GetGrain<Contracts.Enti.IEnteGrain>(ente).SetPopulationAsync(2026, 4_200, Operator);
        var renewed = await Client.GetGrain<IFirmaDeviceGrain>(onTime).RenewAsync(expiry.PlusDays(-1), Operator);
        Assert.Equal(new LocalDate(2029, 2, 28), renewed.ExpiresOn);
        Assert.Equal([expiry.PlusDays(-1)], renewed.RenewedOn);

        var before = await Client.GetGrain<IFirmaDeviceGrain>(late).GetAsync();
        var rows = await cluster.StoredRowsAsync(late);
        var error = await Assert.ThrowsAsync<CstDomainError>(() => Client.GetGrain<IFirmaDeviceGrain>(late).RenewAsync(expiry, Operator));
        Assert.Equal("RenewalNotAllowed", error.Kind);
        Assert.Contains(late, error.Message, StringComparison.Ordinal);
        Assert.Contains("2026-03-01", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await Client.GetGrain<IFirmaDeviceGrain>(late).GetAsync() with { RenewedOn = before.RenewedOn });
        Assert.Empty((await Client.GetGrain<IFirmaDeviceGrain>(late).GetAsync()).RenewedOn);
        Assert.Equal(rows, await cluster.StoredRowsAsync(late));
        Assert.Equal([$"{Operator} issue"], await cluster.AuditAsync("firma:" + late));
        Assert.Equal([$"{Operator} issue", $"{Operator} renew"], await cluster.AuditAsync("firma:" + onTime));

        // The ente bills the renewal (EUR 13) in 2026 for the device renewed on time only.
        var statement = await Client.GetGrain<Contracts.Enti.IEnteGrain>(ente).GetStatementAsync(2026);
        Assert.Single(statement.Lines, l => l.ComponentId == "rinnovo-businesskey");
    }

    [Fact]
    public async Task Revoked_Device_GetsNoMoreWarnings_AndCannotBeRenewed()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2020, 1, 1));
        var serial = NewSerial();
        var device = Client.GetGrain<IFirmaDeviceGrain>(serial);
        var expiry = cluster.Today.PlusDays(200);
        await device.IssueAsync(new FirmaDeviceIssue(ente, FirmaDeviceKind.FirmaRemota, "Paola Neri", expiry.PlusYears(-3)), Operator);

        var revoked = await device.RevokeAsync(cluster.Today, RevocationReason.Stolen, Operator);
        Assert.Equal(FirmaDeviceStatus.Revoked, revoked.Status);
        Assert.Null(revoked.Deadlines.ArmedFor);
        var error = await Assert.ThrowsAsync<CstDomainError>(() => device.RenewAsync(cluster.Today.PlusDays(1), Operator));
        Assert.Equal("IllegalTransition", error.Kind);

        cluster.SetToday(expiry.PlusDays(1));
        await device.HandleDeadlinesAsync();
        Assert.Empty(await cluster.NoticesAsync(serial));
    }

    [Fact]
    public async Task BackDatedImport_NoticesOnlyARecentExpiry_NotTheWarningsLongPast()
    {
        var ente = await NewComuneAsync(Client, new LocalDate(2015, 1, 1));
        var today = cluster.Today;
        var recent = NewSerial();
        var old = NewSerial();
        var renewedLongAgo = NewSerial();

        // Expired 10 days ago: its warnings are skipped, its expiry is noticed once.
        await Client.GetGrain<IFirmaDeviceGrain>(recent).IssueAsync(
            new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "A", today.PlusDays(-10).PlusYears(-3)), "importer");

        // Expired 100 days ago: nothing at all.
        await Client.GetGrain<IFirmaDeviceGrain>(old).IssueAsync(
            new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "B", today.PlusDays(-100).PlusYears(-3)), "importer");

        // Issued four years ago and renewed 13 months ago: the first period's warnings are not noticed, the next
        // warning of the renewed certificates is armed.
        var device = Client.GetGrain<IFirmaDeviceGrain>(renewedLongAgo);
        var renewedOn = today.PlusYears(-1).PlusDays(-30);
        await device.IssueAsync(new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "C", today.PlusYears(-4)), "importer");
        var view = await device.RenewAsync(renewedOn, "importer");

        Assert.Equal([$"Expiry {Iso(today.PlusDays(-10))}"], await cluster.NoticesAsync(recent));
        Assert.Empty(await cluster.NoticesAsync(old));
        Assert.Empty(await cluster.NoticesAsync(renewedLongAgo));
        Assert.Equal(renewedOn.PlusYears(3).PlusDays(-90), view.Deadlines.ArmedFor);
        Assert.Equal(DeadlineKind.ExpiryWarning90Days, view.Deadlines.NextKind);
    }

    [Fact]
    public async Task Renewal_AndRevocation_DatedAfterToday_AreRefused_AndWriteNothing()
    {
        var today = cluster.Today;
        var later = today.PlusDays(10);
        var ente = await NewComuneAsync(Client, new LocalDate(2020, 1, 1));
        var serial = NewSerial();
        var device = Client.GetGrain<IFirmaDeviceGrain>(serial);
        await device.IssueAsync(new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "Mario Rossi", today.PlusYears(-3).PlusDays(30)), Operator);
        var rows = await cluster.StoredRowsAsync(serial);

        var renewal = await Assert.ThrowsAsync<CstDomainError>(() => device.RenewAsync(later, Operator));
        var revocation = await Assert.ThrowsAsync<CstDomainError>(() => device.RevokeAsync(later, RevocationReason.Lost, Operator));

        Assert.Contains($"it cannot be renewed on {Iso(later)}, after today {Iso(today)}", renewal.Message, StringComparison.Ordinal);
        Assert.Contains($"it cannot be revoked on {Iso(later)}, after today {Iso(today)}", revocation.Message, StringComparison.Ordinal);
        Assert.Equal(rows, await cluster.StoredRowsAsync(serial));
        Assert.Equal([$"{Operator} issue"], await cluster.AuditAsync("firma:" + serial));
    }

    [Fact]
    public async Task BusinessKey_IssuedBeforeTheFirstListinoVersion_KeepsItsRealChain_AndBillsOnlyLaterRenewals()
    {
        // Issued 1 March 2019 (before s.11 was first listed on 1 October 2020: its EUR 38 is not billed), renewed
        // 28 February 2022 (the day before the 1 March 2022 expiry) and 27 February 2025 (the day before 28 February
        // 2025): EUR 13.00 in 2022 and in 2025; it expires 27 February 2028, 3 years from the last renewal.
        var ente = await NewComuneAsync(Client, new LocalDate(2015, 1, 1));
        foreach (var year in new[] { 2019, 2022, 2025 })
        {
            await Client.GetGrain<Contracts.Enti.IEnteGrain>(ente).SetPopulationAsync(year, 3_000, Operator);
        }

        var serial = NewSerial();
        var device = Client.GetGrain<IFirmaDeviceGrain>(serial);
        await device.IssueAsync(new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "Anna Bianchi", new LocalDate(2019, 3, 1)), Operator);
        await device.RenewAsync(new LocalDate(2022, 2, 28), Operator);
        var view = await device.RenewAsync(new LocalDate(2025, 2, 27), Operator);

        Assert.Equal(new LocalDate(2028, 2, 27), view.ExpiresOn);
        var grain = Client.GetGrain<Contracts.Enti.IEnteGrain>(ente);
        Assert.Equal(0m, (await grain.GetStatementAsync(2019)).Lines.Where(l => l.ServiceId == "s.11").Sum(l => l.Amount.Euros));
        Assert.Equal(13m, (await grain.GetStatementAsync(2022)).Lines.Where(l => l.ServiceId == "s.11").Sum(l => l.Amount.Euros));
        Assert.Equal(13m, (await grain.GetStatementAsync(2025)).Lines.Where(l => l.ServiceId == "s.11").Sum(l => l.Amount.Euros));
    }

    private static string Iso(LocalDate date) => NodaTime.Text.LocalDatePattern.Iso.Format(date);
}
