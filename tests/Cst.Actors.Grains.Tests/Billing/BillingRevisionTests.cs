using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Domain.Billing;
using NodaTime;
using Npgsql;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Billing;

/// <summary>Close, a back-dated change to the closed year, and the revision that bills only the differences.</summary>
[Collection(BillingCollection.Name)]
public sealed class BillingRevisionTests(GrainsCluster fixture) : IClassFixture<GrainsCluster>
{
    private const string Revision1Rows =
        """
        SELECT string_agg(md5(l::text), ',' ORDER BY ente_id, line_no) FROM billing_line l
        WHERE year = 2025 AND mode = 'final' AND revision = 1
        """;

    [Fact]
    public async Task NewRevision_AfterBackDatedChangesToAClosedYear_HoldsOnlyTheAdjustments()
    {
        // Alfa 783.13 and Beta 1,500.00 billed and closed in revision 1.
        var alfa = await HandWorkedEnti.ComuneAsync(fixture.Client, "Comune di Alfa", new LocalDate(2000, 1, 1), (2025, 3000));
        await HandWorkedEnti.ServiceAsync(fixture.Client, alfa, "s.13", "base", new LocalDate(2024, 1, 1), 12m);
        var beta = await HandWorkedEnti.ComuneAsync(fixture.Client, "Comune di Beta", new LocalDate(2000, 1, 1), (2025, 7000));
        var grain = fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2025, BillingRunMode.Final));
        var first = await BillingRuns.RunAsync(fixture.Client, 2025, BillingRunMode.Final);
        Assert.Equal(780.00m + 1200.00m, first.RunningTotal.Euros);
        Assert.Equal(BillingRunStatus.Closed, (await grain.CloseAsync(Operator)).Status);
        var closedRows = await fixture.ReadAsync(Revision1Rows);

        // Afterwards: a PEC silver mailbox of Alfa activated back on 1 March 2025 (15.00 x 10 / 12 = 12.50), and
        // Alfa's population corrected to 3,100 (quota 620.00, billed 600.00: +20.00). Beta is unchanged.
        await HandWorkedEnti.MailboxAsync(fixture.Client, alfa, "silver", new LocalDate(2025, 3, 1));
        await fixture.Client.GetGrain<IEnteGrain>(alfa).SetPopulationAsync(2025, 3100, Operator);

        var second = await BillingRuns.RunAsync(fixture.Client, 2025, BillingRunMode.Final);

        Assert.Equal((2, BillingRunStatus.Completed, 2, 2, 0), (second.Revision, second.Status, second.EntiTotal, second.EntiDone, second.EntiFailed));
        var statement = Assert.Single(await BillingRuns.StatementsAsync(grain, 2));
        Assert.Equal(alfa, statement.EnteId);
        Assert.Equal(["quota +20.00 after 600.00", "s.11 +12.50 after 0.00"],
            statement.Lines.Select(l => $"{l.ServiceId} +{l.Amount} after {l.PreviouslyBilled}"));
        Assert.Equal(32.50m, statement.Total.Euros);
        Assert.Equal(["nothing"], await fixture.ReadAsync(
            "SELECT outcome FROM billing_run_ente WHERE year = 2025 AND mode = 'final' AND revision = 2 AND ente_id = $1", beta));

        // The closed revision is untouched, and the database refuses to change it.
        Assert.Equal(closedRows, await fixture.ReadAsync(Revision1Rows));
        Assert.Equal(780.00m + 1200.00m, (await grain.GetTotalsAsync(1)).GrandTotal.Euros);
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        foreach (var change in new[]
        {
            "UPDATE billing_line SET amount = 0 WHERE year = 2025 AND revision = 1",
            "DELETE FROM billing_line WHERE year = 2025 AND revision = 1",
            "INSERT INTO billing_line SELECT year, mode, revision, ente_id, line_no + 1000, line_key || '#copy', service_id, service_name, "
                + "component_id, component_name, subscription_id, period_start, period_end, months, quantity, unit_price, amount, "
                + "previously_billed, listino_id, listino_version, section, note FROM billing_line WHERE year = 2025 AND revision = 1",
            "UPDATE billing_statement SET total = 0 WHERE year = 2025 AND revision = 1",
            "INSERT INTO billing_statement SELECT year, mode, revision, ente_id || '-copy', ente_name, payer_id, payer_name, total, line_count "
                + "FROM billing_statement WHERE year = 2025 AND revision = 1",
            "DELETE FROM billing_run_ente WHERE year = 2025 AND revision = 1",
            "UPDATE billing_run_ente SET outcome = 'pending' WHERE year = 2025 AND revision = 1",
        })
        {
            await using var command = new NpgsqlCommand(change, connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("billing run 2025 final revision 1 is closed", refused.MessageText, StringComparison.Ordinal);
        }

        Assert.Equal(closedRows, await fixture.ReadAsync(Revision1Rows));

        // All revisions together bill what is due now: 800.00 + 12.50 for Alfa, 1,200.00 for Beta.
        Assert.Equal(["2012.50"], await fixture.ReadAsync("SELECT sum(amount)::text FROM billing_line WHERE year = 2025 AND mode = 'final'"));
    }
}
