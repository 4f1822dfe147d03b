using Cst.Actors.Domain;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Grains.Infrastructure;
using Cst.Actors.Platform.Tests.Postgres;
using NodaTime;
using Npgsql;

namespace Cst.Actors.Grains.Tests.Billing;

/// <summary>
/// The billing tables' writer on its own: the outcomes of a chunk of enti are written once, however often and however
/// concurrently the chunk is written (a run resumed after a crash, racing with the activation it replaces).
/// </summary>
[Collection(BillingCollection.Name)]
public sealed class BillingStoreTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly BillingRunId Run = new(2025, BillingRunMode.Final, 1);

    [Fact]
    public async Task WriteEnti_SameEnteWrittenTwiceAndConcurrently_IsWrittenOnceWithItsFirstOutcome()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new PostgresBillingStore(dataSource);
        await store.BeginAsync(Run, 1, new LocalDate(2026, 1, 12), "test", Instant.FromUtc(2026, 1, 12, 9, 0), ["A", "B", "C", "D"]);

        // A: quota 600.00 and antivirus 12 x 65.00 = 780.00; B: quota 1,200.00; C failed; D has nothing due.
        var a = Billed("A", ("quota", 1m, 600.00m), ("s.13", 12m, 65.00m));
        var b = Billed("B", ("quota", 1m, 1200.00m));
        var c = new BilledEnte("C", null, "no population recorded for 2025");
        var d = new BilledEnte("D", new BilledStatement(2025, BillingRunMode.Final, 1, "D", "Comune D", "D", "Comune D", []), null);

        // Two writers share A (the same statement, as a repeated computation gives); then A is written again with
        // other amounts, and must keep its first outcome.
        await Task.WhenAll(store.WriteEntiAsync(Run, [a, b]), store.WriteEntiAsync(Run, [a, c, d]));
        await store.WriteEntiAsync(Run, [Billed("A", ("quota", 1m, 1.00m)), c]);

        Assert.Equal(["A 1 quota 600.00", "A 2 s.13 780.00", "B 1 quota 1200.00"], await PostgresRows.ReadAsync(connectionString,
            "SELECT ente_id || ' ' || line_no || ' ' || service_id || ' ' || amount FROM billing_line ORDER BY ente_id, line_no"));
        Assert.Equal(["A 1380.00 2", "B 1200.00 1"], await PostgresRows.ReadAsync(connectionString,
            "SELECT ente_id || ' ' || total || ' ' || line_count FROM billing_statement ORDER BY ente_id"));
        Assert.Equal(["A billed -", "B billed -", "C failed no population recorded for 2025", "D nothing -"], await PostgresRows.ReadAsync(connectionString,
            "SELECT ente_id || ' ' || outcome || ' ' || coalesce(error, '-') FROM billing_run_ente ORDER BY ente_id"));

        var progress = await store.ProgressAsync(Run);
        Assert.Equal((4, 4, 1, 2580.00m, 3), (progress.EntiTotal, progress.EntiDone, progress.EntiFailed, progress.Total.Euros, progress.Lines));
    }

    private static BilledEnte Billed(string enteId, params (string Service, decimal Quantity, decimal UnitPrice)[] charges)
    {
        var lines = charges.Select((charge, i) =>
        {
            var amount = Money.Euro(charge.Quantity * charge.UnitPrice);
            return new BilledLine(i + 1, $"{charge.Service}|{enteId}|2025-01-01|2026-01-01", charge.Service, charge.Service, "base", "base", null,
                new LocalDate(2025, 1, 1), new LocalDate(2026, 1, 1), 12, charge.Quantity, Money.Euro(charge.UnitPrice), amount,
                "disciplinare-2020", "2020-10", "art. 1", null);
        }).ToList();
        return new BilledEnte(enteId, new BilledStatement(2025, BillingRunMode.Final, 1, enteId, "Comune " + enteId, enteId, "Comune " + enteId, [.. lines]), null);
    }
}
