using System.Globalization;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Domain.Billing;

namespace Cst.Actors.Admin.Commands;

/// <summary>
/// The progress of a billing run on stderr while <c>cst billing preview|run</c> waits for it. On a terminal, one line
/// redrawn in place: a bar, the enti done of the total, the time elapsed and an estimate of the time left. Without one
/// (cron, a log file), one line each time another tenth of the enti is done, so a log gets at most ten. Enti done and
/// failed are counted together, never above the total. A note (why the run is not moving) is shown beside the bar on a
/// terminal, and written once each time it changes without one.
/// </summary>
public sealed class BillingProgress(TextWriter error, bool terminal, TimeProvider time)
{
    private const int Width = 30;

    private readonly long _start = time.GetTimestamp();

    /// <summary>The enti done when watching began: the rate is what was done since (a run may be resumed half-way).</summary>
    private int? _doneAtStart;

    private int _tenthsWritten;

    private string? _note;

    private int _lineLength;

    public void Report(BillingRunView view, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var total = Math.Max(view.EntiTotal, 0);
        var done = Math.Clamp(view.EntiDone + view.EntiFailed, 0, total);
        var elapsed = time.GetElapsedTime(_start);
        _doneAtStart ??= done;
        var counted = FormattableString.Invariant($"{done}/{total} enti");
        if (terminal)
        {
            var filled = total == 0 ? 0 : done * Width / total;
            var left = done == total ? string.Empty : Left(done, total, elapsed) is { } estimate ? $", about {estimate} left" : ", estimating";
            var line = $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {counted}, {Clock(elapsed)} elapsed{left}{(note is null ? string.Empty : " " + note)}";
            // A longer line before (a note now gone) is blanked to its end.
            error.Write(line.PadRight(Math.Max(line.Length, _lineLength) + 4));
            _lineLength = line.Length;
            return;
        }

        if (note is not null && note != _note)
        {
            error.WriteLine($"cst: {note}");
        }

        _note = note;

        var tenths = total == 0 ? 0 : done * 10 / total;
        if (tenths > _tenthsWritten)
        {
            _tenthsWritten = tenths;
            var left = done < total && Left(done, total, elapsed) is { } estimate ? $", about {estimate} left" : string.Empty;
            error.WriteLine(FormattableString.Invariant(
                $"cst: billing {view.Year} {BillingExport.Mode(view.Mode)}: {tenths * 10}% ({counted}) after {Clock(elapsed)}{left}"));
        }
    }

    /// <summary>The time left at the rate seen so far, or null before any ente has been done while watching.</summary>
    private string? Left(int done, int total, TimeSpan elapsed)
    {
        var progressed = done - (_doneAtStart ?? done);
        return progressed <= 0 ? null : Clock(elapsed * ((double)(total - done) / progressed));
    }

    private static string Clock(TimeSpan span) => span.TotalHours >= 1
        ? span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : span.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
