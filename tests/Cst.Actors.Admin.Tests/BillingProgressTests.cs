using Cst.Actors.Admin.Commands;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Billing;
using Microsoft.Extensions.Time.Testing;

namespace Cst.Actors.Admin.Tests;

/// <summary>The progress of <c>cst billing preview|run</c> on stderr: on a terminal, and in a cron log.</summary>
public sealed class BillingProgressTests
{
    private readonly FakeTimeProvider _time = new(AdminCluster.Start);

    private static BillingRunView View(int total, int done, int failed = 0) =>
        new(2026, BillingRunMode.Preview, 0, BillingRunStatus.Running, 1, null, total, done, failed, Money.Zero, 0, null, null, null, null, []);

    [Fact]
    public void Terminal_ShowsEntiDoneOfTotal_ElapsedAndTheTimeLeftAtTheRateSeen()
    {
        var error = new StringWriter();
        var progress = new BillingProgress(error, terminal: true, _time);

        progress.Report(View(103, 0));
        _time.Advance(TimeSpan.FromSeconds(10));
        progress.Report(View(103, 50));

        var lines = error.ToString().Split('\r', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.Equal($"[{new string('.', 30)}] 0/103 enti, 0:00 elapsed, estimating", lines[0]);
        // 50 enti in 10 s: the 53 left take about 10.6 s; 50 of 103 is 14 of the bar's 30 marks.
        Assert.Equal($"[{new string('#', 14)}{new string('.', 16)}] 50/103 enti, 0:10 elapsed, about 0:10 left", lines[1]);
    }

    [Fact]
    public void Terminal_DoneAndFailedAboveTheTotal_ShowTheTotal()
    {
        var error = new StringWriter();
        var progress = new BillingProgress(error, terminal: true, _time);
        _time.Advance(TimeSpan.FromSeconds(75));

        progress.Report(View(103, 100, failed: 4));

        Assert.Equal($"\r[{new string('#', 30)}] 103/103 enti, 1:15 elapsed", error.ToString().TrimEnd());
    }

    [Fact]
    public void WithoutTerminal_OneLinePerTenth_AtMostTen()
    {
        var error = new StringWriter();
        var progress = new BillingProgress(error, terminal: false, _time);

        foreach (var done in new[] { 0, 5, 12, 20, 25, 26, 60 })
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            progress.Report(View(100, done));
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        progress.Report(View(100, 98, failed: 5));

        Assert.Equal(
            [
                "cst: billing 2026 preview: 10% (12/100 enti) after 0:03, about 0:22 left",
                "cst: billing 2026 preview: 20% (20/100 enti) after 0:04, about 0:16 left",
                "cst: billing 2026 preview: 60% (60/100 enti) after 0:07, about 0:04 left",
                "cst: billing 2026 preview: 100% (100/100 enti) after 0:08",
            ],
            error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()));
    }
}
