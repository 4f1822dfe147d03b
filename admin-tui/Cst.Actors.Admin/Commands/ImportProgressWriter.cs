using System.Globalization;
using Cst.Actors.Contracts.Import;

namespace Cst.Actors.Admin.Commands;

/// <summary>
/// Progress of a bulk import on stderr (stdout keeps the report, or the JSON): a line at most every 2 seconds and one
/// at the end, e.g. "import: 1,204 of 7,904 enti, 76,100 of 500,029 objects, 5,210 objects/s".
/// </summary>
internal sealed class ImportProgressWriter(TextWriter error) : IProgress<ImportProgress>
{
    private readonly object _gate = new();
    private TimeSpan? _last;

    public void Report(ImportProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            var last = value.EntiDone == value.EntiTotal;
            if (!last && _last is { } previous && value.Elapsed - previous < TimeSpan.FromSeconds(2))
            {
                return;
            }

            _last = value.Elapsed;
            error.WriteLine(string.Format(CultureInfo.InvariantCulture, "import: {0:N0} of {1:N0} enti, {2:N0} of {3:N0} objects, {4:N0} objects/s{5}",
                value.EntiDone, value.EntiTotal, value.ObjectsDone, value.ObjectsTotal, value.ObjectsPerSecond,
                last ? string.Format(CultureInfo.InvariantCulture, " ({0:N1} s)", value.Elapsed.TotalSeconds) : string.Empty));
        }
    }
}
