using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Domain.Billing;
using Xunit.Abstractions;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Billing;

/// <summary>The payer as a dated fact: a change takes effect from a billing year and never reaches the years before.</summary>
[Collection(BillingCollection.Name)]
public sealed class PayerChangeTests(GrainsCluster fixture, ITestOutputHelper output) : IClassFixture<GrainsCluster>
{
    private const string Statements2025 =
        """
        SELECT revision || ' ' || ente_id || ' -> ' || payer_id || ' ' || payer_name || ' ' || total::text
        FROM billing_statement WHERE year = 2025 AND mode = 'final' ORDER BY revision, ente_id
        """;

    [Fact]
    public async Task PayerChangeFrom2026_Leaves2025ClosedStatementsWithTheirPayer_AndAddresses2027ToTheNewPayer()
    {
        // Gamma (761.00 in 2025) pays through Beta from its adhesion in 2025 (BillingTestData).
        var e = await HandWorkedEnti.CreateAsync(fixture.Client);
        var final2025 = fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2025, BillingRunMode.Final));
        await BillingRuns.RunAsync(fixture.Client, 2025, BillingRunMode.Final);
        await final2025.CloseAsync(Operator);
        var closed = await fixture.ReadAsync(Statements2025);
        Assert.Contains($"1 {e.Gamma} -> {e.Beta} Comune di Beta 761.00", closed);

        // A change from the closed year itself is refused: its statements and adjustments keep their payer.
        var refused = await Assert.ThrowsAsync<CstDomainError>(() => fixture.Client.GetGrain<IEnteGrain>(e.Gamma).SetPayerAsync(e.Alfa, 2025, Operator));
        Assert.Contains("final billing run of 2025 is closed", refused.Message, StringComparison.Ordinal);
        Assert.Contains("from 2026 at the earliest", refused.Message, StringComparison.Ordinal);
        Assert.Equal(e.Beta, (await fixture.Client.GetGrain<IEnteGrain>(e.Gamma).GetAsync()).CapofilaIn(2025));

        // From 2026 Alfa pays for Gamma.
        var gamma = await fixture.Client.GetGrain<IEnteGrain>(e.Gamma).SetPayerAsync(e.Alfa, 2026, Operator);
        Assert.Equal((e.Beta, e.Alfa, e.Alfa), (gamma.CapofilaIn(2025), gamma.CapofilaIn(2026), gamma.CapofilaIn(2027)));

        // The closed statements, as the tables, the grain and the exports read them, still go to Beta.
        var after = await fixture.ReadAsync(Statements2025);
        output.WriteLine("billing_statement 2025 when closed:\n" + string.Join("\n", closed) + "\nafter the payer change:\n" + string.Join("\n", after));
        Assert.Equal(closed, after);
        var statements = await BillingRuns.StatementsAsync(final2025, 1);
        Assert.Equal(e.Beta, statements.Single(s => s.EnteId == e.Gamma).PayerId);
        var beta = PayerGrouping.Group(statements).Single(p => p.PayerId == e.Beta);
        Assert.Equal([e.Beta, e.Gamma], beta.Members.Select(m => m.EnteId));
        Assert.Equal(1500.00m + 761.00m, beta.Total.Euros);

        // A correction of 2025 after the change (Gamma's population 12,000 -> 9,000: quota 5,000 x 0.20 + 4,000 x 0.10
        // = 1,400.00 x 6 / 12 = 700.00, billed 750.00: -50.00) is an adjustment of 2025, so it goes to Beta too.
        await fixture.Client.GetGrain<IEnteGrain>(e.Gamma).SetPopulationAsync(2025, 9000, Operator);
        await BillingRuns.RunAsync(fixture.Client, 2025, BillingRunMode.Final);
        var adjustment = Assert.Single(await BillingRuns.StatementsAsync(final2025, 2));
        Assert.Equal((e.Gamma, e.Beta, -50.00m), (adjustment.EnteId, adjustment.PayerId, adjustment.Total.Euros));

        // The preview of 2027 (the 2025 population carried forward: quota for 9,000 in a full year 1,400.00; PEC gold
        // 22.00) addresses Gamma to Alfa; so does 2026's.
        await BillingRuns.RunAsync(fixture.Client, 2027, BillingRunMode.Preview);
        var preview2027 = (await BillingRuns.StatementsAsync(fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2027, BillingRunMode.Preview))))
            .Single(s => s.EnteId == e.Gamma);
        Assert.Equal((e.Alfa, "Comune di Alfa", 1422.00m), (preview2027.PayerId, preview2027.PayerName, preview2027.Total.Euros));
        await BillingRuns.RunAsync(fixture.Client, 2026, BillingRunMode.Preview);
        var preview2026 = (await BillingRuns.StatementsAsync(fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2026, BillingRunMode.Preview))))
            .Single(s => s.EnteId == e.Gamma);
        Assert.Equal(e.Alfa, preview2026.PayerId);
        Assert.Equal(closed, await fixture.ReadAsync("SELECT revision || ' ' || ente_id || ' -> ' || payer_id || ' ' || payer_name || ' ' || total::text "
            + "FROM billing_statement WHERE year = 2025 AND mode = 'final' AND revision = 1 ORDER BY ente_id"));
    }
}
