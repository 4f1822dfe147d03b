using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Pricing;
using NodaTime;
using Npgsql;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests;

/// <summary>
/// The read models (sql/schema/0012 upcoming deadlines, 0013 enti list) follow the grains' facts: the deadline list read
/// by SQL equals what the domain's schedules give from each object's facts (the computation the console used to do by
/// activating every object), after each change and after a reminder fires; a failed write is completed by the next
/// call; pages return every row once; a rebuild writes the same rows again.
/// </summary>
[Collection(GrainsCollection.Name)]
public sealed class ReadModelTests(GrainsCluster cluster)
{
    private static readonly LocalDate Adhered = new(2021, 1, 1);

    private IClusterClient Client => cluster.Client;

    private IAdminQueryGrain Queries => Client.GetGrain<IAdminQueryGrain>(IAdminQueryGrain.Key);

    [Fact]
    public async Task Deadlines_FollowActivationDisdettaRenewalAndWithdrawal_AsTheDomainSchedulesGive()
    {
        var ente = await NewComuneAsync(Client, Adhered, "Comune di Scadenze");
        var address = NewMailboxAddress();
        var serial = NewSerial();
        var today = cluster.Today;
        await Client.GetGrain<IPecMailboxGrain>(address).RequestAndActivateAsync(new PecMailboxRequest(ente, "standard", new LocalDate(2025, 3, 1)), new LocalDate(2025, 3, 1), Operator);
        // Expires in 60 days: its 30- and 7-day warnings, last renewal day and expiry fall within two months.
        await Client.GetGrain<IFirmaDeviceGrain>(serial).IssueAsync(new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "Mario Rossi", today.PlusDays(60).PlusYears(-3)), Operator);
        await AssertAsTheSchedulesGiveAsync(ente);
        Assert.Contains((await ListAsync(ente, 366)), d => d.Object == address && d.Kind == DeadlineKind.DisdettaDeadline && d.EnteName == "Comune di Scadenze");

        await Client.GetGrain<IPecMailboxGrain>(address).ReceiveDisdettaAsync(today, "prot. 1", Operator);
        await AssertAsTheSchedulesGiveAsync(ente);
        var cessation = new LocalDate(today.Year + 1, 1, 1);
        Assert.Contains(await ListAsync(ente, 366), d => d.Object == address && d.Kind == DeadlineKind.Cessation && d.Due == cessation);
        Assert.DoesNotContain(await ListAsync(ente, 366), d => d.Object == address && d.Kind == DeadlineKind.Renewal);

        await Client.GetGrain<IFirmaDeviceGrain>(serial).RenewAsync(today, Operator);
        await AssertAsTheSchedulesGiveAsync(ente);
        Assert.DoesNotContain(await ListAsync(ente, 366), d => d.Object == serial && d.Due == today.PlusDays(60));

        await Client.GetGrain<IEnteGrain>(ente).WithdrawAsync(today.PlusDays(20), Operator);
        await AssertAsTheSchedulesGiveAsync(ente);
        Assert.Equal([(address, today.PlusDays(20))], (await ListAsync(ente, 366)).Where(d => d.Kind == DeadlineKind.Cessation).Select(d => (d.Object, d.Due)));
    }

    [Fact]
    public async Task Deadlines_WhenTheReminderFires_PastOnesLeaveAndTheListStaysAsTheSchedulesGive()
    {
        var ente = await NewComuneAsync(Client, Adhered);
        var serial = NewSerial();
        var expiry = cluster.Today.PlusDays(8);
        await Client.GetGrain<IFirmaDeviceGrain>(serial).IssueAsync(new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "Anna Bianchi", expiry.PlusYears(-3)), Operator);
        Assert.Equal(3, await RowCountAsync(serial));

        await cluster.AdvanceUntilAsync(expiry,
            async () => (await cluster.NoticesAsync(serial)).Contains($"Expiry {expiry:yyyy-MM-dd}") && await RowCountAsync(serial) == 1,
            $"the expiry of {serial} to be noticed and its rows to be only the expiry");

        await AssertAsTheSchedulesGiveAsync(ente);
        Assert.Equal([DeadlineKind.Expiry], (await ListAsync(ente, 30)).Select(d => d.Kind));
    }

    [Fact]
    public async Task Deadlines_RowWriteFails_TheNextCallWritesThemAndAuditsOnce()
    {
        var ente = await NewComuneAsync(Client, Adhered);
        var address = NewMailboxAddress();
        await Client.GetGrain<IPecMailboxGrain>(address).RequestAsync(new PecMailboxRequest(ente, "silver", new LocalDate(2025, 3, 1)), Operator);

        await using (await FailingAsync("deadline_upcoming", $"NEW.object_key = '{address}'"))
        {
            var error = await Assert.ThrowsAsync<CstInfrastructureError>(() => Client.GetGrain<IPecMailboxGrain>(address).ActivateAsync(new LocalDate(2025, 3, 1), Operator));
            Assert.Contains($"upcoming deadlines of {address}", error.Message, StringComparison.Ordinal);
            Assert.Equal(0, await RowCountAsync(address));
            Assert.Equal([$"{Operator} request"], await cluster.AuditAsync("pec:" + address));
        }

        // Not the same call: a read finishes the change (reminder, deadline rows, audit row).
        await Client.GetGrain<IPecMailboxGrain>(address).GetAsync();

        Assert.Equal([$"{Operator} request", $"{Operator} activate"], await cluster.AuditAsync("pec:" + address));
        await AssertAsTheSchedulesGiveAsync(ente);
        Assert.NotEqual(0, await RowCountAsync(address));
    }

    [Fact]
    public async Task EnteRow_WriteFailsWhenAnObjectIsAdded_TheNextCallWritesIt()
    {
        var ente = await NewComuneAsync(Client, Adhered);
        var address = NewMailboxAddress();
        var request = new PecMailboxRequest(ente, "standard", new LocalDate(2025, 3, 1));

        await using (await FailingAsync("ente_summary", $"NEW.ente_id = '{ente}'"))
        {
            await Assert.ThrowsAsync<CstInfrastructureError>(() => Client.GetGrain<IPecMailboxGrain>(address).RequestAndActivateAsync(request, request.RequestedOn, Operator));
            Assert.Equal(0, (await EnteRowAsync(ente)).ActiveObjects);
        }

        // The retry of the operator: the ente first writes its row, then the mailbox completes.
        await Client.GetGrain<IPecMailboxGrain>(address).RequestAndActivateAsync(request, request.RequestedOn, Operator);

        Assert.Equal(1, (await EnteRowAsync(ente)).ActiveObjects);
        Assert.Equal(1, await cluster.CountAsync("SELECT count(*) FROM ente_summary WHERE ente_id = $1 AND active_objects = 1", ente));
    }

    [Fact]
    public async Task EnteRow_HasTheStatementTotalAndPopulation_AndFollowsAPopulationChange()
    {
        var istat = NewIstatCode();
        var year = cluster.Today.Year;
        await Client.GetGrain<IEnteGrain>(istat).CreateAsync(
            new EnteCreation(Comune(istat, "Comune di Stima " + istat, Adhered), [new PopulationCount(year, 3_000)], null), Operator);

        // Only the membership quota: 3,000 inhabitants x EUR 0.20 (DESIGN.md rule 10) = EUR 600.00.
        var row = await EnteRowAsync(istat);
        Assert.Equal(600.00m, row.Estimate?.Euros);
        Assert.Equal(3_000, row.Population);

        // 4,000 inhabitants x EUR 0.20 = EUR 800.00.
        await Client.GetGrain<IEnteGrain>(istat).SetPopulationAsync(year, 4_000, Operator);
        row = await EnteRowAsync(istat);
        Assert.Equal(800.00m, row.Estimate?.Euros);
        Assert.Equal(4_000, row.Population);
        Assert.Equal(1, await cluster.CountAsync("SELECT count(*) FROM ente_summary WHERE ente_id = $1 AND estimate = 800.00 AND estimate_year = $2", istat, year));

        // Another year is the ente's to compute, from its own state: no population at 1 January of last year, no estimate.
        var before = (await Queries.EnteSummariesAsync(year - 1, istat, 0, 10)).Rows.Single();
        var error = await Assert.ThrowsAsync<CstDomainError>(() => Client.GetGrain<IEnteGrain>(istat).GetStatementAsync(year - 1));
        Assert.Null(before.Estimate);
        Assert.Equal(error.Message, before.EstimateError);
        Assert.Equal(4_000, before.Population);
    }

    [Fact]
    public async Task Pages_ReturnEveryRowOnce_WithTheTotal()
    {
        var ente = await NewComuneAsync(Client, Adhered);
        for (var i = 0; i < 3; i++)
        {
            await Client.GetGrain<IPecMailboxGrain>(NewMailboxAddress()).RequestAndActivateAsync(new PecMailboxRequest(ente, "standard", new LocalDate(2025, 3, 1)), new LocalDate(2025, 3, 1), Operator);
            await Client.GetGrain<IFirmaDeviceGrain>(NewSerial()).IssueAsync(new FirmaDeviceIssue(ente, FirmaDeviceKind.FirmaRemota, "Holder " + i, cluster.Today.PlusDays(-i)), Operator);
        }

        var all = await ListAsync(ente, 366);
        var paged = new List<UpcomingDeadline>();
        Page<UpcomingDeadline> page;
        do
        {
            page = await Queries.DeadlinesAsync(366, ente, null, [], paged.Count, 4);
            Assert.Equal(all.Count, page.Total);
            paged.AddRange(page.Rows);
        }
        while (page.Rows.Count == 4);

        Assert.Equal(all, paged);
        Assert.Equal(paged.Count, paged.Distinct().Count());
        Assert.True(all.Count > 8, $"expected more than two pages of rows, got {all.Count}");

        var enti = new List<EnteSummary>();
        Page<EnteSummary> entiPage;
        do
        {
            entiPage = await Queries.EnteSummariesAsync(cluster.Today.Year, null, enti.Count, 3);
            enti.AddRange(entiPage.Rows);
        }
        while (entiPage.Rows.Count == 3);

        Assert.Equal(entiPage.Total, enti.Count);
        Assert.Equal(enti.Count, enti.Select(e => e.EnteId).Distinct().Count());
        Assert.Contains(enti, e => e.EnteId == ente);
    }

    [Fact]
    public async Task DeadlineWindows_RowsSharingADueDate_ReturnEveryRowOnceInTheListsOrder()
    {
        // Five mailboxes of one ente activated the same day: their disdetta deadlines and renewals fall on the same
        // days, with the same kind and ente name; only the object tells them apart, so windows of two end mid-day.
        var ente = await NewComuneAsync(Client, Adhered, "Comune di Finestre");
        for (var i = 0; i < 5; i++)
        {
            await Client.GetGrain<IPecMailboxGrain>(NewMailboxAddress()).RequestAndActivateAsync(new PecMailboxRequest(ente, "standard", new LocalDate(2025, 3, 1)), new LocalDate(2025, 3, 1), Operator);
        }

        var all = await ListAsync(ente, 366);
        Assert.True(all.GroupBy(d => (d.Due, d.Kind)).Any(g => g.Count() >= 5), "expected five rows on one day of one kind");

        var windowed = new List<UpcomingDeadline>();
        DeadlineCursor? after = null;
        var windows = 0;
        do
        {
            var window = await Queries.DeadlineWindowAsync(366, ente, null, [], 0, after, 2);
            Assert.True(window.Rows.Count <= 2, $"a window of 2 returned {window.Rows.Count} rows");
            windowed.AddRange(window.Rows);
            after = window.Next;
            windows++;
            Assert.True(windows <= all.Count + 1, $"more windows than rows ({all.Count}): the cursor does not move");
        }
        while (after is not null);

        Assert.Equal(all, windowed);
        Assert.Equal(windowed.Count, windowed.Distinct().Count());

        // From an offset, then by key: the same rows as the list from there.
        var fromThird = await Queries.DeadlineWindowAsync(366, ente, null, [], 3, null, 4);
        var next = await Queries.DeadlineWindowAsync(366, ente, null, [], 0, fromThird.Next, 4);
        Assert.Equal(all.Skip(3).Take(8), fromThird.Rows.Concat(next.Rows));
    }

    [Fact]
    public async Task Rebuild_FromEmptiedRows_WritesTheSameRows()
    {
        var ente = await NewComuneAsync(Client, Adhered);
        await Client.GetGrain<IPecMailboxGrain>(NewMailboxAddress()).RequestAndActivateAsync(new PecMailboxRequest(ente, "gold", new LocalDate(2025, 3, 1)), new LocalDate(2025, 3, 1), Operator);
        await Client.GetGrain<IFirmaDeviceGrain>(NewSerial()).IssueAsync(new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "Mario Rossi", cluster.Today.PlusYears(-2)), Operator);
        const string rows = "SELECT object_kind || ' ' || object_key || ' ' || ente_name || ' ' || kind || ' ' || due_date || ' ' || description FROM deadline_upcoming WHERE ente_id = $1 ORDER BY 1";
        const string enteRow = "SELECT name || ' ' || coalesce(population, -1) || ' ' || active_objects || ' ' || coalesce(estimate::text, estimate_error) FROM ente_summary WHERE ente_id = $1";
        var before = await cluster.ReadAsync(rows, ente);
        var enteBefore = await cluster.ReadAsync(enteRow, ente);
        Assert.NotEmpty(before);

        await Execute("DELETE FROM deadline_upcoming WHERE ente_id = $1", ente);
        await Execute("DELETE FROM ente_summary WHERE ente_id = $1", ente);
        Assert.Empty(await cluster.ReadAsync(rows, ente));

        Assert.Equal(2, await Client.GetGrain<IEnteGrain>(ente).RebuildReadModelsAsync());
        Assert.Equal(before, await cluster.ReadAsync(rows, ente));
        Assert.Equal(enteBefore, await cluster.ReadAsync(enteRow, ente));

        // Again: nothing changes.
        await Client.GetGrain<IEnteGrain>(ente).RebuildReadModelsAsync();
        Assert.Equal(before, await cluster.ReadAsync(rows, ente));
    }

    private async Task<IReadOnlyList<UpcomingDeadline>> ListAsync(string ente, int days) =>
        (await Queries.DeadlinesAsync(days, ente, null, [], 0, IAdminQueryGrain.MaxWindow)).Rows;

    private async Task<EnteSummary> EnteRowAsync(string ente) =>
        (await Queries.EnteSummariesAsync(cluster.Today.Year, ente, 0, 10)).Rows.Single(e => e.EnteId == ente);

    private Task<long> RowCountAsync(string objectKey) =>
        cluster.CountAsync("SELECT count(*) FROM deadline_upcoming WHERE object_key = $1", objectKey);

    /// <summary>
    /// The list read from the table equals, for 30 days and for a year, what the domain's schedules give from each
    /// object's facts as its view shows them (the computation the console used before the read model).
    /// </summary>
    private async Task AssertAsTheSchedulesGiveAsync(string enteId)
    {
        var ente = await Client.GetGrain<IEnteGrain>(enteId).GetAsync();
        var today = cluster.Today;
        foreach (var days in new[] { 30, IAdminQueryGrain.MaxDeadlineDays })
        {
            var expected = new List<UpcomingDeadline>();
            foreach (var child in ente.Children)
            {
                if (await ScheduleAsync(child, ente.WithdrawnOn) is { } schedule)
                {
                    expected.AddRange(schedule.DueIn(today.PlusDays(-1), today.PlusDays(days))
                        .Select(d => new UpcomingDeadline(d.Due, d.Kind, enteId, ente.Registration.Name, child.Key, d.Description)));
                }
            }

            var ordered = expected.OrderBy(d => d.Due).ThenBy(d => d.Kind).ThenBy(d => d.Object, StringComparer.Ordinal).ToList();
            Assert.Equal(ordered, await ListAsync(enteId, days));
        }
    }

    private async Task<IDeadlineSchedule?> ScheduleAsync(ChildRef child, LocalDate? enteWithdrawnOn)
    {
        switch (child.Kind)
        {
            case ChildKind.PecMailbox:
                var mailbox = await Client.GetGrain<IPecMailboxGrain>(child.Key).GetAsync();
                return mailbox.ActivatedOn is { } activated
                    ? Annual($"PEC mailbox {mailbox.Address}", activated, mailbox.DisdettaReceivedOn, mailbox.EndsOn)
                    : null;
            case ChildKind.FirmaDevice:
                var device = await Client.GetGrain<IFirmaDeviceGrain>(child.Key).GetAsync();
                IDeadlineSchedule d = new FirmaDevice(device.Serial, device.Kind, device.IssuedOn, device.RenewedOn);
                return (device.RevokedOn ?? enteWithdrawnOn) is { } end ? new EndedSchedule(d, end) : d;
            default:
                return null;
        }
    }

    private static AnnualSubscription Annual(string subject, LocalDate activated, LocalDate? disdetta, LocalDate? endsOn)
    {
        LocalDate? cessation = endsOn is { } end && (disdetta is not { } d || end != DisdettaRule.CeasesOn(d)) && end >= activated ? end : null;
        return new AnnualSubscription(subject, activated, disdetta, cessation);
    }

    private async Task Execute(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A trigger that fails every insert or update of <paramref name="table"/> matching <paramref name="when"/>, until disposed.</summary>
    private async Task<IAsyncDisposable> FailingAsync(string table, string when)
    {
        var name = "fail_" + Guid.NewGuid().ToString("N")[..8];
        await Execute(
            $"""
            CREATE OR REPLACE FUNCTION cst_test_injected_failure() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                RAISE EXCEPTION 'injected failure on %', TG_TABLE_NAME;
            END
            $fn$;
            CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW WHEN ({when})
                EXECUTE FUNCTION cst_test_injected_failure();
            """);
        return new DropTrigger(this, name, table);
    }

    private sealed class DropTrigger(ReadModelTests tests, string name, string table) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await tests.Execute($"DROP TRIGGER {name} ON {table}");
    }
}
