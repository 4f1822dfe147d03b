using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Domain.Pricing;
using NodaTime;
using Npgsql;
using Orleans.Runtime;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Import;

/// <summary>
/// The bulk import writes its new objects' state, reminder and audit rows in batches (one transaction for many
/// objects). What it leaves must be what the call-by-call import leaves: the same enti imported both ways (under
/// other keys) give the same statements to the cent, the same audit actions, the same reminders and deadlines, and
/// the grains read the batch-written rows on activation. A batch that fails leaves nothing of its objects, and
/// importing again converges.
/// </summary>
[Collection(GrainsCollection.Name)]
public sealed class BatchedImportTests(GrainsCluster cluster)
{
    private const string Operator = "import";

    private IClusterClient Client => cluster.Client;

    [Fact]
    public async Task BulkImport_OfDemoEnti_LeavesWhatTheCallByCallImportLeaves()
    {
        var sample = DemoData.Build(cluster.Today).Enti.Take(6).ToList();
        var byCalls = new ImportDocument { Enti = [.. sample.Select(Fresh)] };
        var inBulk = new ImportDocument { Enti = [.. sample.Select(Fresh)] };

        var calls = await new CstImporter(Client).ImportAsync(byCalls, Operator);
        var bulk = await new CstImporter(Client) { Bulk = true }.ImportAsync(inBulk, Operator);

        Assert.True(calls.Succeeded, string.Join("\n", calls.Enti));
        Assert.True(bulk.Succeeded, string.Join("\n", bulk.Enti));
        for (var i = 0; i < sample.Count; i++)
        {
            await AssertSameAsync(byCalls.Enti[i], inBulk.Enti[i]);
        }

        // Each object was stored once, by the batch, and its grain reads that row: a call-by-call import finds nothing to change.
        var address = inBulk.Enti.SelectMany(e => e.Mailboxes).First().Address;
        Assert.Contains(" v1 ", Assert.Single(await cluster.StoredRowsAsync(address)), StringComparison.Ordinal);
        var replay = await new CstImporter(Client).ImportAsync(inBulk, "replay");
        Assert.All(replay.Enti, e => Assert.Equal(ImportOutcome.Unchanged, e.Outcome));
    }

    [Fact]
    public async Task BulkImport_BatchFailsHalfWay_NothingOfItIsLeft_AndTheReimportConverges()
    {
        var sample = DemoData.Build(cluster.Today).Enti.Where(e => e.Mailboxes.Count > 1).Take(2).ToList();
        var reference = new ImportDocument { Enti = [.. sample.Select(Fresh)] };
        var document = new ImportDocument { Enti = [.. sample.Select(Fresh)] };
        var failing = document.Enti[0].Mailboxes[1].Address;
        Assert.True((await new CstImporter(Client).ImportAsync(reference, Operator)).Succeeded);

        // The audit insert of one mailbox fails: its batch (state, reminder and audit rows of every object in it) rolls back.
        await using (await FailingAuditAsync(failing))
        {
            var failed = await new CstImporter(Client) { Bulk = true, ObjectParallelism = 1 }.ImportAsync(document, Operator);
            Assert.Equal(ImportOutcome.Failed, failed.Enti[0].Outcome);
        }

        Assert.Empty(await cluster.StoredRowsAsync(failing));
        Assert.Empty(await cluster.AuditAsync("pec:" + failing));
        Assert.Equal(0, await cluster.CountAsync("SELECT count(*) FROM orleans_reminders WHERE grain_id LIKE '%' || $1", failing));

        var again = await new CstImporter(Client) { Bulk = true }.ImportAsync(document, Operator);

        Assert.True(again.Succeeded, string.Join("\n", again.Enti));
        for (var i = 0; i < sample.Count; i++)
        {
            await AssertSameAsync(reference.Enti[i], document.Enti[i]);
        }

        var third = await new CstImporter(Client) { Bulk = true }.ImportAsync(document, Operator);
        Assert.All(third.Enti, e => Assert.Equal(ImportOutcome.Unchanged, e.Outcome));
    }

    [Fact]
    public async Task BulkImport_OfANewEnte_ActivatesNoneOfItsObjects_AndTheirGrainsReadWhatWasWritten()
    {
        var ente = Fresh(DemoData.Build(cluster.Today).Enti.First(e => e.Mailboxes.Count > 0 && e.Devices.Count > 0 && e.Services.Count > 0));

        var report = await new CstImporter(Client) { Bulk = true }.ImportAsync(new ImportDocument { Enti = [ente] }, Operator);

        Assert.True(report.Succeeded, string.Join("\n", report.Enti));
        var objects = ente.Mailboxes.Select(m => (Type: "pecmailbox", Key: m.Address))
            .Concat(ente.Devices.Select(d => (Type: "firmadevice", Key: d.Serial)))
            .Concat(ente.Services.Select(s => (Type: "hostedservice", Key: ImportValidator.ServiceKey(ente.IstatCode!, s))))
            .ToList();
        var management = Client.GetGrain<IManagementGrain>(0);
        var active = new HashSet<GrainId>();
        foreach (var type in objects.Select(o => o.Type).Distinct())
        {
            active.UnionWith(await management.GetActiveGrains(GrainType.Create(type)));
        }

        // Applied by their grains' code without an activation each: none is active (a reminder due within minutes
        // would have activated its object to arm it; the demo's are days away or more, each a row of the table).
        Assert.All(objects, o => Assert.DoesNotContain(GrainId.Create(o.Type, o.Key), active));
        foreach (var mailbox in ente.Mailboxes)
        {
            Assert.Single(await cluster.StoredRowsAsync(mailbox.Address));
        }

        var view = await Client.GetGrain<IEnteGrain>(ente.IstatCode!).GetAsync();
        Assert.Equal(objects.Count, view.Children.Count);

        // Each grain reads its row on its first activation: the call-by-call import finds nothing to change.
        var replay = await new CstImporter(Client).ImportAsync(new ImportDocument { Enti = [ente] }, "replay");
        Assert.Equal(ImportOutcome.Unchanged, Assert.Single(replay.Enti).Outcome);
    }

    [Fact]
    public async Task BulkImport_TheEnteRefusesOneNewObject_ItFailsAlone_AndTheOthersOfThatEnteLand()
    {
        // Adhered 2024-01-01, withdrew 2025-07-01: a mailbox active from 2025-09-01 is refused by the ente's check of
        // its snapshot (the mailbox's own checks know nothing of the withdrawal); the two active from 2024 are not.
        var ente = await NewComuneAsync(Client, new LocalDate(2024, 1, 1));
        await Client.GetGrain<IEnteGrain>(ente).WithdrawAsync(new LocalDate(2025, 7, 1), Operator);
        ImportMailbox Mailbox(LocalDate on) => new() { Address = NewMailboxAddress(), Tier = "standard", RequestedOn = on, ActivatedOn = on };
        var first = Mailbox(new LocalDate(2024, 3, 1));
        var refused = Mailbox(new LocalDate(2025, 9, 1));
        var last = Mailbox(new LocalDate(2024, 4, 1));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Client.GetGrain<IImportObjectsGrain>(IImportObjectsGrain.Key)
            .ImportNewAsync(ente, [first, refused, last], [], [], Operator));

        Assert.Contains(refused.Address, error.Message, StringComparison.Ordinal);
        Assert.Contains("withdrew from the CST on 2025-07-01", error.Message, StringComparison.Ordinal);
        Assert.Empty(await cluster.StoredRowsAsync(refused.Address));
        Assert.Single(await cluster.StoredRowsAsync(first.Address));
        Assert.Single(await cluster.StoredRowsAsync(last.Address));
        var view = await Client.GetGrain<IEnteGrain>(ente).GetAsync();
        Assert.Equal(
            new[] { first.Address, last.Address }.Order(StringComparer.Ordinal),
            view.Children.Where(c => c.Kind == ChildKind.PecMailbox).Select(c => c.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task BulkImport_ADeadlineRowIsThereWithoutItsObject_TheBatchReplacesItsRows()
    {
        // The batch writes a new object's deadline rows by COPY, as none can be there (rows are written only for a
        // stored object). One put there by hand (the same key as a row the mailbox gets, and one of a day it has no
        // deadline on) must neither fail the import nor stay: the batch is written again, replacing the rows.
        var sample = DemoData.Build(cluster.Today).Enti.First(e => e.Mailboxes.Count > 0);
        var reference = Fresh(sample);
        var ente = Fresh(sample);
        Assert.True((await new CstImporter(Client).ImportAsync(new ImportDocument { Enti = [reference] }, Operator)).Succeeded);
        var (referenceKey, key) = (reference.Mailboxes[0].Address, ente.Mailboxes[0].Address);
        var expected = await DeadlineRowsAsync(referenceKey);
        Assert.NotEmpty(expected);
        await ExecuteAsync($"""
            INSERT INTO deadline_upcoming (object_kind, object_key, ente_id, ente_name, kind, due_date, description)
            SELECT object_kind, '{key}', '{ente.IstatCode}', 'stale', kind, due_date, 'stale'
            FROM deadline_upcoming WHERE object_key = '{referenceKey}'
            UNION ALL SELECT 1, '{key}', '{ente.IstatCode}', 'stale', 1, DATE '2099-12-01', 'stale'
            """);

        var report = await new CstImporter(Client) { Bulk = true }.ImportAsync(new ImportDocument { Enti = [ente] }, Operator);

        Assert.True(report.Succeeded, string.Join("\n", report.Enti));
        Assert.Equal(expected, await DeadlineRowsAsync(key));
        await AssertSameAsync(reference, ente);
    }

    /// <summary>The same facts under new keys: a new ISTAT code, new mailbox addresses and device serials.</summary>
    private static ImportEnte Fresh(ImportEnte ente) => ente with
    {
        IstatCode = NewIstatCode(),
        Name = ente.Name + " " + Guid.NewGuid().ToString("N")[..6],
        Capofila = null,
        CapofilaFrom = null,
        Mailboxes = [.. ente.Mailboxes.Select(m => m with { Address = NewMailboxAddress() })],
        Devices = [.. ente.Devices.Select(d => d with { Serial = NewSerial() })],
    };

    /// <summary>Ente <paramref name="b"/> (bulk) holds what ente <paramref name="a"/> (call by call) holds, object by object.</summary>
    private async Task AssertSameAsync(ImportEnte a, ImportEnte b)
    {
        foreach (var year in new[] { 2024, 2025, 2026 })
        {
            var expected = await Client.GetGrain<IEnteGrain>(a.IstatCode!).GetStatementAsync(year);
            var actual = await Client.GetGrain<IEnteGrain>(b.IstatCode!).GetStatementAsync(year);
            Assert.Equal(expected.Total, actual.Total);
            // Lines come in the order of the objects' keys, which differ: compared as a set of lines.
            Assert.Equal(expected.Lines.Select(Describe).Order(StringComparer.Ordinal), actual.Lines.Select(Describe).Order(StringComparer.Ordinal));
        }

        var objects = a.Mailboxes.Zip(b.Mailboxes, (x, y) => ("pec:" + x.Address, "pec:" + y.Address, x.Address, y.Address))
            .Concat(a.Devices.Zip(b.Devices, (x, y) => ("firma:" + x.Serial, "firma:" + y.Serial, x.Serial, y.Serial)))
            .Concat(a.Services.Zip(b.Services, (x, y) => ("service:" + ImportValidator.ServiceKey(a.IstatCode!, x),
                "service:" + ImportValidator.ServiceKey(b.IstatCode!, y), ImportValidator.ServiceKey(a.IstatCode!, x), ImportValidator.ServiceKey(b.IstatCode!, y))));
        foreach (var (auditA, auditB, keyA, keyB) in objects)
        {
            Assert.Equal(await cluster.AuditAsync(auditA), await cluster.AuditAsync(auditB));
            Assert.Equal(await RemindersAsync(keyA), await RemindersAsync(keyB));
            Assert.Equal(await cluster.NoticesAsync(keyA), await cluster.NoticesAsync(keyB));
            Assert.Equal(await DeadlineRowsAsync(keyA), await DeadlineRowsAsync(keyB));
        }

        // The objects' deadline rows are listed under their ente's name, as the enti list has it.
        foreach (var ente in new[] { a, b })
        {
            Assert.Equal(0, await cluster.CountAsync(
                "SELECT count(*) FROM deadline_upcoming d JOIN ente_summary s USING (ente_id) WHERE d.ente_id = $1 AND d.ente_name <> s.name", ente.IstatCode!));
        }

        var viewA = await Client.GetGrain<IEnteGrain>(a.IstatCode!).GetAsync();
        var viewB = await Client.GetGrain<IEnteGrain>(b.IstatCode!).GetAsync();
        Assert.Equal(viewA.Children.Count, viewB.Children.Count);
    }

    private static string Describe(StatementLine line) =>
        $"{line.ServiceId} {line.ComponentId} {line.PeriodStart}-{line.PeriodEnd} {line.Quantity} {line.Months} {line.UnitPrice} {line.Amount}";

    /// <summary>
    /// The object's rows of the deadline read model (kind, due date, description with the key as <c>*</c>), which
    /// must agree with its reminder: the first due date after today is the one the reminder is armed for.
    /// </summary>
    private Task<IReadOnlyList<string>> DeadlineRowsAsync(string key) =>
        cluster.ReadAsync("SELECT object_kind || ' ' || kind || ' ' || due_date || ' ' || replace(description, $1, '*') "
            + "FROM deadline_upcoming WHERE object_key = $1 ORDER BY due_date, kind", key);

    /// <summary>The object's reminders: name, due instant and period (the grain id differs by key only).</summary>
    private Task<IReadOnlyList<string>> RemindersAsync(string key) =>
        cluster.ReadAsync("SELECT reminder_name || ' ' || to_char(start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' ' || period_ms "
            + "FROM orleans_reminders WHERE grain_id LIKE '%/' || $1 ORDER BY 1", key);

    private async Task<IAsyncDisposable> FailingAuditAsync(string address)
    {
        var name = "fail_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync($"""
            CREATE OR REPLACE FUNCTION cst_test_injected_failure() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                RAISE EXCEPTION 'injected failure on %', TG_TABLE_NAME;
            END
            $fn$;
            CREATE TRIGGER {name} BEFORE INSERT ON audit FOR EACH ROW WHEN (NEW.object = 'pec:{address}')
                EXECUTE FUNCTION cst_test_injected_failure();
            """);
        return new Drop(() => ExecuteAsync($"DROP TRIGGER {name} ON audit"));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class Drop(Func<Task> drop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await drop();
    }
}
