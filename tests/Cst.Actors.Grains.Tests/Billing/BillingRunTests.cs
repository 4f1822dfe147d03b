using System.Globalization;
using System.Text.Json;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Domain.Billing;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Billing;

/// <summary>A final run of the hand-worked enti (<see cref="HandWorkedEnti"/>) on PostgreSQL.</summary>
[Collection(BillingCollection.Name)]
public sealed class BillingRunTests(GrainsCluster fixture) : IClassFixture<GrainsCluster>
{
    [Fact]
    public async Task FinalRun_HandWorkedEnti_WritesTheStatementsTotalsAndExports()
    {
        var enti = await HandWorkedEnti.CreateAsync(fixture.Client);
        var grain = fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2025, BillingRunMode.Final));

        var view = await BillingRuns.RunAsync(fixture.Client, 2025, BillingRunMode.Final);

        Assert.Equal(BillingRunStatus.Completed, view.Status);
        Assert.Equal((1, 3, 3, 0, 8), (view.Revision, view.EntiTotal, view.EntiDone, view.EntiFailed, view.Lines));
        Assert.Equal(3044.13m, view.RunningTotal.Euros);

        // Statements addressed to the payer: Gamma's to its capofila Beta.
        var statements = await BillingRuns.StatementsAsync(grain);
        Assert.Equal(
            [$"{enti.Alfa} 783.13 -> {enti.Alfa}", $"{enti.Beta} 1500.00 -> {enti.Beta}", $"{enti.Gamma} 761.00 -> {enti.Beta}"],
            statements.OrderBy(s => s.EnteName).Select(s => $"{s.EnteId} {s.Total} -> {s.PayerId}"));

        // The same figures with plain SQL on the tables and views accounting reads.
        Assert.Equal(["3 8 3044.13"], await fixture.ReadAsync(
            "SELECT enti || ' ' || lines || ' ' || amount FROM billing_total WHERE year = 2025 AND mode = 'final' AND revision = 1"));
        Assert.Equal(["quota 2550.00", "s.11 14.13", "s.13 180.00", "s.5 100.00", "s.7 200.00"], await fixture.ReadAsync(
            "SELECT service_id || ' ' || amount FROM billing_total_by_service WHERE year = 2025 AND mode = 'final' ORDER BY service_id"));
        Assert.Equal([$"{enti.Beta} 2 2261.00"], await fixture.ReadAsync(
            "SELECT payer_id || ' ' || enti || ' ' || amount FROM billing_total_by_payer WHERE year = 2025 AND payer_id = $1", enti.Beta));

        var totals = await grain.GetTotalsAsync();
        Assert.Equal((3044.13m, 3, 8), (totals.GrandTotal.Euros, totals.Enti, totals.Lines));

        // Exports parse back to the same totals.
        var csv = BillingExport.ParseCsv(BillingExport.StatementsCsv(statements));
        Assert.Equal(3044.13m, csv.Skip(1).Sum(r => decimal.Parse(r[csv[0].IndexOf("importo")], CultureInfo.GetCultureInfo("it-IT"))));
        using var json = JsonDocument.Parse(BillingExport.Json(totals, statements));
        Assert.Equal(3044.13m, json.RootElement.GetProperty("statements").EnumerateArray().Sum(s => s.GetProperty("total").GetDecimal()));
    }

    [Fact]
    public async Task Start_FinalOfTheCurrentYear_IsRefusedUntilTheYearIsOver()
    {
        var grain = fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(fixture.Today.Year, BillingRunMode.Final));

        var error = await Assert.ThrowsAsync<CstDomainError>(() => grain.StartAsync(Operator));

        Assert.Contains("once the year is over", error.Message, StringComparison.Ordinal);
        Assert.Equal(BillingRunStatus.NotStarted, (await grain.GetProgressAsync()).Status);
    }
}
