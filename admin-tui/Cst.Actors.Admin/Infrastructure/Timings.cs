using System.Diagnostics;
using System.Globalization;

namespace Cst.Actors.Admin.Infrastructure;

/// <summary>
/// With <c>CST_TIMINGS=1</c>, where the time of one command went, on stderr as it exits: from the process's start to
/// Main (the runtime and its first assemblies), reading the command line, starting the Orleans client (the membership
/// table, the gateway, TLS), each call to the cluster, writing the output and leaving; and whether the terminal UI's
/// assemblies were loaded. Off, it costs one comparison per mark.
/// </summary>
public static class Timings
{
    private static readonly bool On = Environment.GetEnvironmentVariable("CST_TIMINGS") == "1";

    private static readonly List<(string What, TimeSpan At)> Marks = [];

    private static readonly Stopwatch Watch = Stopwatch.StartNew();

    private static TimeSpan _beforeMain;

    /// <summary>Called first in Main: the time from the process's start to here.</summary>
    public static void Started()
    {
        if (On)
        {
            using var self = Process.GetCurrentProcess();
            _beforeMain = DateTime.Now - self.StartTime - Watch.Elapsed;
        }
    }

    public static void Mark(string what)
    {
        if (On)
        {
            lock (Marks)
            {
                Marks.Add((what, Watch.Elapsed));
            }
        }
    }

    public static void Write(TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!On)
        {
            return;
        }

        Mark("done");
        var previous = TimeSpan.Zero;
        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cst: timings: {_beforeMain.TotalMilliseconds,6:F0} ms  process start to Main"));
        lock (Marks)
        {
            foreach (var (what, at) in Marks)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cst: timings: {(at - previous).TotalMilliseconds,6:F0} ms  {what}"));
                previous = at;
            }
        }

        var assemblies = AppDomain.CurrentDomain.GetAssemblies();
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cst: timings: {(_beforeMain + previous).TotalMilliseconds:F0} ms in all; {assemblies.Length} assemblies loaded, Terminal.Gui {(assemblies.Any(a => a.GetName().Name == "Terminal.Gui") ? "loaded" : "not loaded")}; JIT {System.Runtime.JitInfo.GetCompiledMethodCount():N0} methods in {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F0} ms"));
    }
}
