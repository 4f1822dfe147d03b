using System.Diagnostics;

namespace Cst.Actors.Bench;

/// <summary>
/// Runs the console `cst` as a separate process, as an operator would, connected like the silos through the
/// environment (connection string, cluster id, service id: `CST_` keys, never the command line), and times it from
/// start to exit: process start, connecting to the cluster, the query and the output. The output is read as it comes
/// and not kept (a full deadline listing at national scale is a hundred megabytes): its rows are counted (the elements
/// of the JSON array, one "  {" line each) and the time of its first line noted.
/// </summary>
internal static class ConsoleQuery
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    public static async Task<(TimeSpan Wall, int ExitCode, string Detail, int Rows, TimeSpan? FirstLine)> RunAsync(string cstDll, IReadOnlyList<string> args,
        string connectionString, string clusterId, string serviceId)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(cstDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["CST_ConnectionStrings__Cst"] = connectionString;
        start.Environment["CST_Cluster__ClusterId"] = clusterId;
        start.Environment["CST_Cluster__ServiceId"] = serviceId;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start cst");
        TimeSpan? firstLine = null;
        var rows = 0;
        var output = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                firstLine ??= watch.Elapsed;
                if (line == "  {")
                {
                    rows++;
                }
            }
        });
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (watch.Elapsed, -1, $"no answer within {Bound.TotalSeconds:F0} s", rows, firstLine);
        }

        var wall = watch.Elapsed;
        var text = await error;
        await output;
        var firstError = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? string.Empty;
        return (wall, process.ExitCode, firstError.Length > 120 ? firstError[..120] : firstError, rows, firstLine);
    }
}
