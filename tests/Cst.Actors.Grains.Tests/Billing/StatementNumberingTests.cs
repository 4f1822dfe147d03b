using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Domain.Billing;
using NodaTime;
using Npgsql;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Billing;

/// <summary>
/// Closing a final revision numbers one document per payer, gap-free in the year of issue, in the close's transaction;
/// numbers are never reassigned (hand-worked enti: Alfa pays 783.13, Beta 1,500.00 + Gamma's 761.00 = 2,261.00).
/// </summary>
[Collection(BillingCollection.Name)]
public sealed class StatementNumberingTests(GrainsCluster fixture) : IClassFixture<GrainsCluster>
{
    [Fact]
    public async Task Close_NumbersEachPayerOnce_AndTheAdjustmentRevisionTakesTheNextNumbers()
    {
        var enti = await HandWorkedEnti.CreateAsync(fixture.Client);
        var run = fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2025, BillingRunMode.Final));
        var documents = fixture.Client.GetGrain<IStatementDocumentGrain>(BillingRunKey.For(2025, BillingRunMode.Final));
        await BillingRuns.RunAsync(fixture.Client, 2025, BillingRunMode.Final);

        // Completed but not closed: nothing is numbered yet.
        Assert.Empty(await documents.GetIssuedAsync(null));
        Assert.Equal([enti.Alfa, enti.Beta], await documents.GetPayersAsync(null));

        await run.CloseAsync(Operator);
        var issued = await documents.GetIssuedAsync(null);

        // One document per payer, by payer name, numbered 1 and 2 of the year of issue (the test clock's 2026), issued
        // on the closing day and due 30 days later (the default payment terms).
        Assert.Equal(
            [$"{enti.Alfa} 1/2026 783.13 1 ente", $"{enti.Beta} 2/2026 2261.00 2 enti"],
            issued.Select(d => $"{d.PayerId} {d.NumberText} {d.Total} {d.Enti} {(d.Enti == 1 ? "ente" : "enti")}"));
        Assert.All(issued, d => Assert.Equal((fixture.Today, fixture.Today.PlusDays(30), 2025, 1), (d.IssuedOn, d.DueDate, d.BillingYear, d.Revision)));

        // Closing again numbers nothing more.
        await run.CloseAsync(Operator);
        Assert.Equal(issued, await documents.GetIssuedAsync(1));
        Assert.Equal(["2"], await fixture.ReadAsync("SELECT last_number::text FROM statement_number_counter WHERE issue_year = 2026"));

        // A back-dated change to Alfa: revision 2 bills only Alfa's difference and its document takes number 3.
        await fixture.Client.GetGrain<IEnteGrain>(enti.Alfa).SetPopulationAsync(2025, 3100, Operator);
        var second = await BillingRuns.RunAsync(fixture.Client, 2025, BillingRunMode.Final);
        Assert.Equal(2, second.Revision);
        await run.CloseAsync(Operator);
        var adjustment = Assert.Single(await documents.GetIssuedAsync(2));
        Assert.Equal((enti.Alfa, "3/2026", 20.00m), (adjustment.PayerId, adjustment.NumberText, adjustment.Total.Euros));
        Assert.Equal(issued, await documents.GetIssuedAsync(1));

        // The database refuses to change or remove an issued number.
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        foreach (var change in new[]
        {
            "UPDATE statement_document SET number = 7 WHERE issue_year = 2026 AND number = 1",
            "DELETE FROM statement_document WHERE issue_year = 2026 AND number = 3",
        })
        {
            await using var command = new NpgsqlCommand(change, connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("is issued", refused.MessageText, StringComparison.Ordinal);
        }

        // Numbers 1..3 of 2026, no gap, none twice.
        Assert.Equal(["1,2,3"], await fixture.ReadAsync("SELECT string_agg(number::text, ',' ORDER BY number) FROM statement_document WHERE issue_year = 2026"));
    }

    [Fact]
    public async Task Preview_IsNeverNumbered()
    {
        await HandWorkedEnti.ComuneAsync(fixture.Client, "Comune di Delta", new LocalDate(2000, 1, 1), (2026, 2000));
        await BillingRuns.RunAsync(fixture.Client, 2026, BillingRunMode.Preview);

        var documents = fixture.Client.GetGrain<IStatementDocumentGrain>(BillingRunKey.For(2026, BillingRunMode.Preview));

        Assert.Empty(await documents.GetIssuedAsync(null));
        Assert.NotEmpty(await documents.GetPayersAsync(null));
    }
}
