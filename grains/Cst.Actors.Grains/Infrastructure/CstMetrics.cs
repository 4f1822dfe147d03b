using System.Diagnostics.Metrics;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>
/// The project's own metrics, on the meter <see cref="MeterName"/> (exported by the silo with Orleans' and .NET's at
/// its Prometheus endpoint). Counters count what this silo did since it started; Prometheus sums the silos.
/// </summary>
public static class CstMetrics
{
    public const string MeterName = "Cst.Actors";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Enti whose outcome a billing run wrote (statement or failure), tagged with year and mode.</summary>
    public static readonly Counter<long> EntiBilled =
        Meter.CreateCounter<long>("cst.billing.enti_billed", "{ente}", "Enti whose billing outcome was written by a run");

    /// <summary>Enti a billing run could not bill (no population recorded, say).</summary>
    public static readonly Counter<long> EntiFailed =
        Meter.CreateCounter<long>("cst.billing.enti_failed", "{ente}", "Enti a billing run could not bill");

    /// <summary>The progress of the runs working on this silo: enti still to bill.</summary>
    public static readonly UpDownCounter<long> EntiPending =
        Meter.CreateUpDownCounter<long>("cst.billing.enti_pending", "{ente}", "Enti still to bill by the runs working on this silo");

    /// <summary>Billing runs completed on this silo.</summary>
    public static readonly Counter<long> RunsCompleted =
        Meter.CreateCounter<long>("cst.billing.runs_completed", "{run}", "Billing runs completed");

    /// <summary>Deadline notices written (a notice already written is not counted again).</summary>
    public static readonly Counter<long> NoticesProduced =
        Meter.CreateCounter<long>("cst.notices.produced", "{notice}", "Deadline notices produced");

    /// <summary>Reminder ticks handled by the grains, tagged with the grain kind.</summary>
    public static readonly Counter<long> RemindersHandled =
        Meter.CreateCounter<long>("cst.reminders.handled", "{tick}", "Reminder ticks handled");

    /// <summary>The tags of a billing run's measurements.</summary>
    public static KeyValuePair<string, object?>[] RunTags(int year, object mode) =>
        [new("year", year), new("mode", mode.ToString())];
}
