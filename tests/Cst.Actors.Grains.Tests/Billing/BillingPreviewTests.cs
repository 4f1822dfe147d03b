using Cst.Actors.Contracts.Billing;
using Cst.Actors.Domain.Billing;
using NodaTime;

namespace Cst.Actors.Grains.Tests.Billing;

/// <summary>The preview rule against the final run (see <see cref="PreviewProjection"/>).</summary>
[Collection(BillingCollection.Name)]
public sealed class BillingPreviewTests(GrainsCluster fixture) : IClassFixture<GrainsCluster>
{
    [Fact]
    public async Task PreviewOnFirstDecember_NothingChangesAfterwards_EqualsTheFinalRun()
    {
        // The hand-worked enti of 2025, each with 3,000 inhabitants at 1 January 2026, billed for 2026: a preview made
        // on 1 December 2026, then the final run in January 2027 with nothing recorded in between.
        var enti = await HandWorkedEnti.CreateAsync(fixture.Client);
        foreach (var ente in new[] { enti.Alfa, enti.Beta, enti.Gamma })
        {
            await fixture.Client.GetGrain<Contracts.Enti.IEnteGrain>(ente).SetPopulationAsync(2026, 3000, TestEnti.Operator);
        }

        fixture.SetToday(new LocalDate(2026, 12, 1));
        var preview = await BillingRuns.RunAsync(fixture.Client, 2026, BillingRunMode.Preview);
        var previewStatements = await BillingRuns.StatementsAsync(fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2026, BillingRunMode.Preview)));

        fixture.SetToday(new LocalDate(2027, 1, 12));
        var final = await BillingRuns.RunAsync(fixture.Client, 2026, BillingRunMode.Final);
        var finalStatements = await BillingRuns.StatementsAsync(fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2026, BillingRunMode.Final)));

        Assert.Equal(new LocalDate(2026, 12, 1), preview.AsOf);
        Assert.Equal((preview.EntiDone, preview.Lines, preview.RunningTotal), (final.EntiDone, final.Lines, final.RunningTotal));
        Assert.Equal(
            previewStatements.Select(s => s with { Mode = BillingRunMode.Final, Revision = 1 }),
            finalStatements,
            new StatementComparer());
        // Alfa 2026: 600.00 + 180.00 + 7.50 renewed for the whole year = 787.50 (the mailbox of 2025 renewed on 1 January).
        Assert.Equal(787.50m, finalStatements.Single(s => s.EnteId == enti.Alfa).Total.Euros);
    }

    /// <summary>Records holding immutable lists compare the lists by reference: compare by content.</summary>
    private sealed class StatementComparer : IEqualityComparer<BilledStatement>
    {
        public bool Equals(BilledStatement? x, BilledStatement? y) =>
            x is not null && y is not null && x with { Lines = [] } == y with { Lines = [] } && x.Lines.SequenceEqual(y.Lines);

        public int GetHashCode(BilledStatement obj) => obj.EnteId.GetHashCode(StringComparison.Ordinal);
    }
}
