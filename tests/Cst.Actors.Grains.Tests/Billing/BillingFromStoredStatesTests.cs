using System.Globalization;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Domain.Billing;
using NodaTime;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Billing;

/// <summary>
/// A billing run reads its enti's stored states a chunk at a time and prices them without activating them
/// (<c>BillingRunGrain.BillStoredAsync</c>): the statements must be those the enti compute themselves, whether they
/// are active or not, and a change committed just before the run must be in it.
/// </summary>
[Collection(BillingCollection.Name)]
public sealed class BillingFromStoredStatesTests(GrainsCluster fixture) : IClassFixture<GrainsCluster>
{
    private static readonly string Key = BillingRunKey.For(2025, BillingRunMode.Final);

    [Fact]
    public async Task FinalRun_EntiNotActive_SameStatementsAsActiveWithoutActivatingThem()
    {
        var enti = await HandWorkedEnti.CreateAsync(fixture.Client);
        var active = await RunAsync(enti);
        // What each ente computes itself, on its own activation, is what the run wrote.
        foreach (var statement in active.Values)
        {
            var own = LineKeys.Assign(await fixture.Client.GetGrain<IEnteGrain>(statement.EnteId).GetStatementAsync(2025));
            Assert.Equal(Describe(own), Describe(statement.Lines));
        }

        await fixture.RestartAsync(() => Task.CompletedTask);
        var cold = await RunAsync(enti);

        Assert.Equal(
            [$"{enti.Alfa} 783.13 -> {enti.Alfa} Comune di Alfa", $"{enti.Beta} 1500.00 -> {enti.Beta} Comune di Beta",
                $"{enti.Gamma} 761.00 -> {enti.Beta} Comune di Beta"],
            cold.Values.OrderBy(s => s.EnteName, StringComparer.Ordinal).Select(s => $"{s.EnteId} {s.Total} -> {s.PayerId} {s.PayerName}"));
        foreach (var (ente, statement) in cold)
        {
            Assert.Equal(Describe(active[ente].Lines), Describe(statement.Lines));
            Assert.Equal((active[ente].EnteName, active[ente].PayerId, active[ente].PayerName), (statement.EnteName, statement.PayerId, statement.PayerName));
        }

        // Nothing but the run, the directory and the listino was activated by the run: no ente, no object.
        var stats = await fixture.Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        Assert.DoesNotContain(stats, s => s.ActivationCount > 0 && (s.GrainType.Contains("EnteGrain", StringComparison.Ordinal)
            || s.GrainType.Contains("PecMailboxGrain", StringComparison.Ordinal) || s.GrainType.Contains("HostedServiceGrain", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FinalRun_ChangesJustBeforeTheRun_AreInTheStatements()
    {
        var enti = await HandWorkedEnti.CreateAsync(fixture.Client);
        await RunAsync(enti);

        // Alfa's population at 1 January 2025 is corrected to 4,000: quota 4,000 x 0.20 = 800.00, total 800.00 +
        // 180.00 + 3.13 = 983.13. Beta gets a PEC standard from 1 August 2025: 7.50 x 5 / 12 = 3.13, total 1,503.13.
        await fixture.Client.GetGrain<IEnteGrain>(enti.Alfa).SetPopulationAsync(2025, 4000, Operator);
        await HandWorkedEnti.MailboxAsync(fixture.Client, enti.Beta, "standard", new LocalDate(2025, 8, 1));
        var after = await RunAsync(enti);

        Assert.Equal(
            [$"{enti.Alfa} 983.13 -> {enti.Alfa}", $"{enti.Beta} 1503.13 -> {enti.Beta}", $"{enti.Gamma} 761.00 -> {enti.Beta}"],
            after.Values.OrderBy(s => s.EnteName, StringComparer.Ordinal).Select(s => $"{s.EnteId} {s.Total} -> {s.PayerId}"));
        Assert.Contains(after[enti.Alfa].Lines, l => l.Amount.Euros == 800.00m && l.SubscriptionId is null);
    }

    /// <summary>The run (recomputed, so that each test bills the enti as they are now) and the statements of these enti.</summary>
    private async Task<Dictionary<string, BilledStatement>> RunAsync(HandWorkedEnti enti)
    {
        var view = await BillingRuns.RunAsync(fixture.Client, 2025, BillingRunMode.Final, recompute: true);
        Assert.Equal((BillingRunStatus.Completed, 0), (view.Status, view.EntiFailed));
        var mine = new[] { enti.Alfa, enti.Beta, enti.Gamma };
        return (await BillingRuns.StatementsAsync(fixture.Client.GetGrain<IBillingRunGrain>(Key)))
            .Where(s => mine.Contains(s.EnteId)).ToDictionary(s => s.EnteId, StringComparer.Ordinal);
    }

    private static List<string> Describe(IEnumerable<BilledLine> lines) =>
        [.. lines.Select(l => $"{l.LineNo} {l.LineKey} {l.ServiceId} {l.ComponentId} {l.SubscriptionId} {l.PeriodStart} {l.PeriodEnd} {l.Months} "
            + $"{Num(l.Quantity)} {Num(l.UnitPrice.Euros)} {Num(l.Amount.Euros)} {l.ListinoVersion} {l.Section} {l.Note}")];

    private static string Num(decimal value) => value.ToString("0.00####", CultureInfo.InvariantCulture);
}
