using System.Diagnostics;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Grains.Infrastructure;
using NodaTime;
using Npgsql;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Billing;

/// <summary>
/// An ente that cannot be billed never holds a run up: a refusal that would come back every time fails that ente with
/// its reason and the run completes for the others; an outage leaves the run running, shown as stuck with why, and an
/// operator can cancel it. Faults are injected with a trigger on the statement insert of one ente.
/// </summary>
[Collection(BillingCollection.Name)]
public sealed class BillingRunFailureTests(GrainsCluster fixture) : IClassFixture<GrainsCluster>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task FinalRun_StatementOfOneEnteRefusedByTheDatabase_CompletesWithItFailedAndCannotBeClosed()
    {
        // Both 3,000 inhabitants in 2025: quota 3,000 x 0.20 = 600.00 each.
        var sano = await HandWorkedEnti.ComuneAsync(fixture.Client, "Comune di Sano", new LocalDate(2000, 1, 1), (2025, 3000), (2026, 3000));
        var rotto = await HandWorkedEnti.ComuneAsync(fixture.Client, "Comune di Rotto", new LocalDate(2000, 1, 1), (2025, 3000), (2026, 3000));
        // What an amount beyond numeric(12,2) gives (a stored price from before the bounds): 22003 numeric field overflow.
        await RefuseStatementsOfAsync(rotto, "22003", "numeric field overflow");
        var grain = fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2025, BillingRunMode.Final));
        try
        {
            var view = await BillingRuns.RunAsync(fixture.Client, 2025, BillingRunMode.Final);

            Assert.Equal(BillingRunStatus.Completed, view.Status);
            Assert.Equal(view.EntiTotal, view.EntiDone);
            var failure = Assert.Single(view.Failures);
            Assert.Equal(rotto, failure.EnteId);
            Assert.Equal("its statement could not be written: the database refused it (22003: numeric field overflow)", failure.Message);
            Assert.Equal([$"{rotto} failed", $"{sano} billed 600.00"], await fixture.ReadAsync(
                """
                SELECT e.ente_id || ' ' || e.outcome || coalesce(' ' || s.total, '') FROM billing_run_ente e
                LEFT JOIN billing_statement s USING (year, mode, revision, ente_id)
                WHERE e.year = 2025 AND e.mode = 'final' AND e.ente_id = ANY($1) ORDER BY e.ente_id DESC
                """, (object)new[] { sano, rotto }));

            // Closing now would bill the year without it: refused, naming it and what to do.
            var refusal = await Assert.ThrowsAsync<CstDomainError>(() => grain.CloseAsync(Operator));
            Assert.Equal($"1 ente(i) could not be billed in revision 1 ({rotto}; the run's status says why); correct them and start the run again with recompute before closing",
                refusal.Message);
            Assert.Equal(BillingRunStatus.Completed, (await grain.GetProgressAsync()).Status);
        }
        finally
        {
            await AllowStatementsAsync();
        }

        // Corrected (here: the fault removed), computed again: every ente billed, and the run closes.
        var again = await BillingRuns.RunAsync(fixture.Client, 2025, BillingRunMode.Final, recompute: true);
        Assert.Equal((BillingRunStatus.Completed, 0), (again.Status, again.EntiFailed));
        Assert.Equal(["600.00"], await fixture.ReadAsync(
            "SELECT total::text FROM billing_statement WHERE year = 2025 AND mode = 'final' AND ente_id = $1", rotto));
        Assert.Equal(BillingRunStatus.Closed, (await grain.CloseAsync(Operator)).Status);
    }

    [Fact]
    public async Task Preview_DatabaseOutageOnOneEnte_ShowsTheRunStuckWithWhy_AndCancelIsAuditedAndAllowsANewRun()
    {
        var ente = await HandWorkedEnti.ComuneAsync(fixture.Client, "Comune di Fermo", new LocalDate(2000, 1, 1), (2025, 2000), (2026, 2000));
        // A fault that passes by itself (disk full): retried, never recorded as the ente's failure.
        await RefuseStatementsOfAsync(ente, "53100", "could not extend file: No space left on device");
        var grain = fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2026, BillingRunMode.Preview));
        try
        {
            await grain.StartAsync(Operator);
            var stuck = await WaitAsync(grain, v => v.Stuck is not null, "the preview shown as stuck");
            Assert.Equal(BillingRunStatus.Running, stuck.Status);
            Assert.Contains("No space left on device", stuck.Stuck, StringComparison.Ordinal);
            Assert.NotNull(stuck.StuckSince);
            Assert.Equal(0, stuck.EntiFailed);

            var cancelled = await grain.CancelAsync("mario.rossi");

            Assert.Equal((BillingRunStatus.Cancelled, "mario.rossi"), (cancelled.Status, cancelled.CancelledBy));
            Assert.Null(cancelled.Stuck);
            Assert.Equal(["cancelled mario.rossi"], await fixture.ReadAsync(
                "SELECT status || ' ' || cancelled_by FROM billing_run WHERE year = 2026 AND mode = 'preview'"));
            Assert.Equal("mario.rossi cancel", (await fixture.AuditAsync("billing:2026/preview"))[^1]);
            var again = await Assert.ThrowsAsync<CstDomainError>(() => grain.CancelAsync("mario.rossi"));
            Assert.Equal("billing run 2026 preview: only a running run can be cancelled; revision 0 was cancelled by mario.rossi (start it again to compute it)",
                again.Message);
        }
        finally
        {
            await AllowStatementsAsync();
        }

        // A later run starts (a new attempt) and completes.
        var after = await BillingRuns.RunAsync(fixture.Client, 2026, BillingRunMode.Preview);
        Assert.Equal((BillingRunStatus.Completed, 2, 0), (after.Status, after.Attempt, after.EntiFailed));
    }

    [Fact]
    public void Unwritable_AmountBeyondNumeric12_2_NamesTheLineAndTheLimit()
    {
        // An agreed price of 100,000,000,000.00 accepted before the bounds: the line cannot be stored.
        var line = new BilledLine(1, "sub-1|s.10|hosting|2025-01-01|2026-01-01", "s.10", "Hosting", "hosting", "Hosting", "sub-1",
            new LocalDate(2025, 1, 1), new LocalDate(2026, 1, 1), 12, 1m, Money.Euro(100_000_000_000.00m), Money.Euro(100_000_000_000.00m),
            "cst-padova", "2020-10", "s.10", null);
        var statement = new BilledStatement(2025, BillingRunMode.Final, 1, "028001", "Comune", "028001", "Comune", [line]);

        Assert.Equal(
            "line 1 (s.10 hosting, sub-1): amount 100000000000.00 EUR (unit price 100000000000.00) is beyond the largest amount a statement can hold, 9999999999.99 EUR; correct the price or quantity",
            BillingFaults.Unwritable(statement));
        Assert.Null(BillingFaults.Unwritable(statement with { Lines = [line with { UnitPrice = Money.Euro(150m), Amount = Money.Euro(150m) }] }));
    }

    private async Task<BillingRunView> WaitAsync(IBillingRunGrain grain, Func<BillingRunView, bool> done, string expected)
    {
        var elapsed = Stopwatch.StartNew();
        var view = await grain.GetProgressAsync();
        while (!done(view))
        {
            if (elapsed.Elapsed > Bound)
            {
                Assert.Fail($"expected {expected} within {Bound.TotalSeconds} s; it is {view.Status}, {view.EntiDone} of {view.EntiTotal} enti done");
            }

            await Task.Delay(50);
            view = await grain.GetProgressAsync();
        }

        return view;
    }

    private Task RefuseStatementsOfAsync(string enteId, string sqlState, string message) => ExecuteAsync(
        $"""
        CREATE OR REPLACE FUNCTION test_refuse_statement() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF NEW.ente_id = '{enteId}' THEN
                RAISE EXCEPTION '{message}' USING ERRCODE = '{sqlState}';
            END IF;
            RETURN NEW;
        END
        $fn$;
        CREATE TRIGGER test_refuse_statement BEFORE INSERT ON billing_statement FOR EACH ROW EXECUTE FUNCTION test_refuse_statement();
        """);

    private Task AllowStatementsAsync() => ExecuteAsync("DROP TRIGGER IF EXISTS test_refuse_statement ON billing_statement");

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
