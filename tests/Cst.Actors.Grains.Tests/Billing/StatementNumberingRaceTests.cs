using Cst.Actors.Contracts.Billing;
using Cst.Actors.Domain.Billing;
using NodaTime;
using Npgsql;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Billing;

/// <summary>
/// The year's number counter under two closes at once: the numbers stay consecutive, none twice, none lost. A cluster
/// and database of its own (every ente there is billed in both years); the test still reads the counter first.
/// </summary>
[Collection(BillingCollection.Name)]
public sealed class StatementNumberingRaceTests(GrainsCluster fixture) : IClassFixture<GrainsCluster>
{
    [Fact]
    public async Task TwoClosesAtOnce_TakeDistinctConsecutiveNumbers()
    {
        // Two payers in each of two years' final runs (a comune pays its own statement: one document each).
        foreach (var name in new[] { "Comune di Est", "Comune di Ovest" })
        {
            await HandWorkedEnti.ComuneAsync(fixture.Client, name, new LocalDate(2000, 1, 1), (2023, 3000), (2024, 3000));
        }

        await BillingRuns.RunAsync(fixture.Client, 2023, BillingRunMode.Final);
        await BillingRuns.RunAsync(fixture.Client, 2024, BillingRunMode.Final);
        var year = fixture.Today.Year;
        var before = await CounterAsync(year);

        var closes = new[] { 2023, 2024 }.Select(y =>
            fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(y, BillingRunMode.Final)).CloseAsync(Operator));
        await Task.WhenAll(closes);

        // Four documents numbered before+1 .. before+4, each run's two numbers next to each other (one close took its
        // block after the other), and the counter at the last.
        var numbers = await fixture.ReadAsync(
            "SELECT billing_year || ':' || string_agg(number::text, ',' ORDER BY number) FROM statement_document WHERE issue_year = $1 AND billing_year IN (2023, 2024) GROUP BY billing_year ORDER BY min(number)",
            year);
        var all = numbers.SelectMany(n => n.Split(':')[1].Split(',')).Select(int.Parse).ToList();
        Assert.Equal(Enumerable.Range(before + 1, 4), all);
        Assert.Equal(2, numbers.Count);
        Assert.All(numbers, n => Assert.Equal(2, n.Split(':')[1].Split(',').Length));
        Assert.Equal(before + 4, await CounterAsync(year));
    }

    private async Task<int> CounterAsync(int issueYear) =>
        (await fixture.ReadAsync("SELECT last_number::text FROM statement_number_counter WHERE issue_year = $1", issueYear))
        .Select(int.Parse).DefaultIfEmpty(0).Single();
}

/// <summary>
/// A close whose transaction fails after its documents were numbered (the outbox insert, refused by a trigger made for
/// this test and dropped after it) uses no number: the counter stays, and the retried close starts right after it.
/// </summary>
[Collection(BillingCollection.Name)]
public sealed class StatementNumberingRollbackTests(GrainsCluster fixture) : IClassFixture<GrainsCluster>
{
    [Fact]
    public async Task CloseFailingAfterNumbering_UsesNoNumber_AndTheRetryStartsWhereTheCounterWas()
    {
        await HandWorkedEnti.ComuneAsync(fixture.Client, "Comune di Nord", new LocalDate(2000, 1, 1), (2025, 4000));
        await HandWorkedEnti.ComuneAsync(fixture.Client, "Comune di Sud", new LocalDate(2000, 1, 1), (2025, 4000));
        await BillingRuns.RunAsync(fixture.Client, 2025, BillingRunMode.Final);
        var year = fixture.Today.Year;
        var before = await CounterAsync(year);
        var run = fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2025, BillingRunMode.Final));

        // The outbox insert comes after the documents are numbered: failing there rolls the whole close back.
        await ExecuteAsync(
            """
            CREATE FUNCTION test_outbox_refuses_2025() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                IF NEW.billing_year = 2025 THEN RAISE EXCEPTION 'test: the outbox refuses 2025'; END IF;
                RETURN NEW;
            END
            $fn$;
            CREATE TRIGGER test_outbox_refuses_2025 BEFORE INSERT ON outbox_message
                FOR EACH ROW EXECUTE FUNCTION test_outbox_refuses_2025();
            """);
        try
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => run.CloseAsync(Operator));
            Assert.Contains("the outbox refuses 2025", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            await ExecuteAsync("DROP TRIGGER test_outbox_refuses_2025 ON outbox_message; DROP FUNCTION test_outbox_refuses_2025();");
        }

        // Nothing numbered, the counter as it was, the run still completed (not closed), nothing queued.
        Assert.Equal(["0"], await fixture.ReadAsync("SELECT count(*)::text FROM statement_document WHERE billing_year = 2025"));
        Assert.Equal(before, await CounterAsync(year));
        Assert.Equal(BillingRunStatus.Completed, (await run.GetProgressAsync()).Status);
        Assert.Equal(["completed"], await fixture.ReadAsync("SELECT status FROM billing_run WHERE year = 2025 AND mode = 'final'"));
        Assert.Equal(["0"], await fixture.ReadAsync("SELECT count(*)::text FROM outbox_message WHERE billing_year = 2025"));

        // The retried close takes the numbers right after the counter, and queues each document once.
        await run.CloseAsync(Operator);
        Assert.Equal(BillingRunStatus.Closed, (await run.GetProgressAsync()).Status);
        Assert.Equal([$"{before + 1},{before + 2}"],
            await fixture.ReadAsync("SELECT string_agg(number::text, ',' ORDER BY number) FROM statement_document WHERE billing_year = 2025"));
        Assert.Equal(before + 2, await CounterAsync(year));
        Assert.Equal(["2"], await fixture.ReadAsync("SELECT count(*)::text FROM outbox_message WHERE billing_year = 2025"));
    }

    private async Task<int> CounterAsync(int issueYear) =>
        (await fixture.ReadAsync("SELECT last_number::text FROM statement_number_counter WHERE issue_year = $1", issueYear))
        .Select(int.Parse).DefaultIfEmpty(0).Single();

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
