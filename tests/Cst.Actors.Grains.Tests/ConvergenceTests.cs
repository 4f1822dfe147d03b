using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Enti;
using Cst.Actors.Domain.Pricing;
using NodaTime;
using Npgsql;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests;

/// <summary>
/// A change that fails half-way converges when it is tried again: a PostgreSQL trigger fails one step of it for one
/// object (the state write, the directory write, the audit insert, the reminder), the call fails with a readable
/// error, the trigger is dropped, and the same call (or a re-import) leaves the object complete: in the directory,
/// billed, armed, with exactly one audit row of the change.
/// </summary>
[Collection(GrainsCollection.Name)]
public sealed class ConvergenceTests(GrainsCluster cluster)
{
    private static readonly LocalDate Adhered = new(2021, 1, 1);

    private IClusterClient Client => cluster.Client;

    [Fact]
    public async Task Register_AuditInsertFails_RetryAuditsOnceAndListsTheEnte()
    {
        var istat = NewIstatCode();
        var creation = Creation(istat);

        await using (await FailingAsync("audit", $"NEW.object = 'ente:{istat}'"))
        {
            var error = await Assert.ThrowsAsync<CstInfrastructureError>(() => Ente(istat).CreateAsync(creation, Operator));
            Assert.Contains($"audit row of register on ente:{istat}", error.Message, StringComparison.Ordinal);
        }

        await Ente(istat).CreateAsync(creation, Operator);

        await AssertCompleteAsync(istat);
    }

    [Fact]
    public async Task Register_DirectoryWriteFails_RetryListsTheEnteAndAuditsOnce()
    {
        var istat = NewIstatCode();
        var creation = Creation(istat);

        await using (await FailingAsync("orleans_storage", "NEW.grain_id_extension = 'all' AND NEW.grain_type LIKE '%directory%'"))
        {
            await Assert.ThrowsAsync<CstInfrastructureError>(() => Ente(istat).CreateAsync(creation, Operator));
            Assert.Empty(await cluster.AuditAsync("ente:" + istat));
        }

        await Ente(istat).CreateAsync(creation, Operator);

        await AssertCompleteAsync(istat);
    }

    [Fact]
    public async Task Register_StateWriteFails_NothingIsLeft_AndTheRetryRegisters()
    {
        var istat = NewIstatCode();
        var creation = Creation(istat);

        await using (await FailingAsync("orleans_storage",
            $"NEW.grain_id_extension IS NULL AND NEW.grain_id_n0 = 0 AND NEW.grain_id_n1 = ('x' || lpad('{istat}', 16, '0'))::bit(64)::bigint"))
        {
            await Assert.ThrowsAsync<CstInfrastructureError>(() => Ente(istat).CreateAsync(creation, Operator));
            Assert.False(await Ente(istat).ExistsAsync());
            Assert.Empty(await cluster.AuditAsync("ente:" + istat));
            Assert.DoesNotContain(await Directory.ListAsync(), e => e.EnteId == istat);
        }

        await Ente(istat).CreateAsync(creation, Operator);

        await AssertCompleteAsync(istat);
    }

    [Fact]
    public async Task Import_AuditInsertFails_ReimportConverges()
    {
        var istat = NewIstatCode();
        var document = new ImportDocument
        {
            Enti =
            [
                new ImportEnte
                {
                    Name = "Comune di Prova " + istat,
                    Kind = EnteKind.Comune,
                    IstatCode = istat,
                    AdheredOn = Adhered,
                    Population = [new ImportPopulation { Year = 2026, Inhabitants = 3_000 }],
                },
            ],
        };

        await using (await FailingAsync("audit", $"NEW.object = 'ente:{istat}'"))
        {
            var failed = await new CstImporter(Client).ImportAsync(document, Operator);
            Assert.False(failed.Succeeded, string.Join("\n", failed.Enti));
        }

        var again = await new CstImporter(Client).ImportAsync(document, Operator);

        Assert.True(again.Succeeded, string.Join("\n", again.Enti));
        await AssertCompleteAsync(istat);
    }

    [Fact]
    public async Task MailboxRequest_AuditInsertFails_RetryAuditsOnce()
    {
        var ente = await NewComuneAsync(Client, Adhered);
        var address = NewMailboxAddress();
        var request = new PecMailboxRequest(ente, "silver", new LocalDate(2025, 3, 1));

        await using (await FailingAsync("audit", $"NEW.object = 'pec:{address}'"))
        {
            var error = await Assert.ThrowsAsync<CstInfrastructureError>(
                () => Client.GetGrain<IPecMailboxGrain>(address).RequestAsync(request, Operator));
            Assert.Contains($"audit row of request on pec:{address}", error.Message, StringComparison.Ordinal);
        }

        await Client.GetGrain<IPecMailboxGrain>(address).RequestAsync(request, Operator);
        await Client.GetGrain<IPecMailboxGrain>(address).ActivateAsync(new LocalDate(2025, 3, 1), Operator);

        Assert.Equal([$"{Operator} request", $"{Operator} activate"], await cluster.AuditAsync("pec:" + address));
        Assert.Contains((await Ente(ente).GetAsync()).Children, c => c.Key == address);
    }

    [Fact]
    public async Task DeviceIssue_AuditInsertFails_AnyLaterCallAuditsOnce()
    {
        var ente = await NewComuneAsync(Client, Adhered);
        var serial = NewSerial();
        var issue = new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "Mario Rossi", cluster.Today.PlusYears(-1));

        await using (await FailingAsync("audit", $"NEW.object = 'firma:{serial}'"))
        {
            await Assert.ThrowsAsync<CstInfrastructureError>(() => Client.GetGrain<IFirmaDeviceGrain>(serial).IssueAsync(issue, Operator));
        }

        // Not the same call: a read finishes the change too.
        await Client.GetGrain<IFirmaDeviceGrain>(serial).GetAsync();
        await Client.GetGrain<IFirmaDeviceGrain>(serial).IssueAsync(issue, Operator);

        Assert.Equal([$"{Operator} issue"], await cluster.AuditAsync("firma:" + serial));
        Assert.Equal(1, await ReminderCountAsync(serial));
    }

    [Fact]
    public async Task DeviceIssue_ReminderWriteFails_RetryArmsItAndAuditsOnce()
    {
        var ente = await NewComuneAsync(Client, Adhered);
        var serial = NewSerial();
        var issue = new FirmaDeviceIssue(ente, FirmaDeviceKind.BusinessKey, "Mario Rossi", cluster.Today.PlusYears(-1));

        await using (await FailingAsync("orleans_reminders", $"NEW.grain_id LIKE '%{serial}'"))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => Client.GetGrain<IFirmaDeviceGrain>(serial).IssueAsync(issue, Operator));
            Assert.Equal(0, await ReminderCountAsync(serial));
            Assert.Empty(await cluster.AuditAsync("firma:" + serial));
        }

        var issued = await Client.GetGrain<IFirmaDeviceGrain>(serial).IssueAsync(issue, Operator);

        Assert.NotNull(issued.Deadlines.ArmedFor);
        Assert.Equal(1, await ReminderCountAsync(serial));
        Assert.Equal([$"{Operator} issue"], await cluster.AuditAsync("firma:" + serial));
    }

    private IEnteGrain Ente(string key) => Client.GetGrain<IEnteGrain>(key);

    private IEnteDirectoryGrain Directory => Client.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key);

    private static EnteCreation Creation(string istat) =>
        new(Comune(istat, "Comune di Prova " + istat, Adhered), [new PopulationCount(2026, 3_000)], null);

    /// <summary>The ente is listed (so every billing run bills it), prices, and has exactly one audit row of its registration.</summary>
    private async Task AssertCompleteAsync(string istat)
    {
        Assert.Contains(await Directory.ListAsync(), e => e.EnteId == istat);
        Assert.Equal([$"{Operator} register"], await cluster.AuditAsync("ente:" + istat));

        // The membership quota of 2026, a full year: 3,000 inhabitants x EUR 0.20 (DESIGN.md rule 10) = EUR 600.00.
        var statement = await Ente(istat).GetStatementAsync(2026);
        Assert.Equal(600.00m, statement.Total.Euros);

        // Later calls find nothing left to do and add no row.
        await Ente(istat).GetAsync();
        Assert.Single(await cluster.AuditAsync("ente:" + istat));
    }

    private Task<long> ReminderCountAsync(string serial) =>
        cluster.CountAsync("SELECT count(*) FROM orleans_reminders WHERE grain_id LIKE '%' || $1", serial);

    /// <summary>A trigger that fails every insert or update of <paramref name="table"/> matching <paramref name="when"/>, until disposed.</summary>
    private async Task<IAsyncDisposable> FailingAsync(string table, string when)
    {
        var name = "fail_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync(cluster.ConnectionString,
            $"""
            CREATE OR REPLACE FUNCTION cst_test_injected_failure() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                RAISE EXCEPTION 'injected failure on %', TG_TABLE_NAME;
            END
            $fn$;
            CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW WHEN ({when})
                EXECUTE FUNCTION cst_test_injected_failure();
            """);
        return new DropTrigger(cluster.ConnectionString, name, table);
    }

    private sealed class DropTrigger(string connectionString, string name, string table) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() =>
            await ExecuteAsync(connectionString, $"DROP TRIGGER {name} ON {table}");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
