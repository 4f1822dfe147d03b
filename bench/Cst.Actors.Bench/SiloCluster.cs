using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Cst.Actors.Bench;

/// <summary>
/// The silos as separate <c>cst-silo</c> processes (the production host, its configuration and its server GC), so that
/// a restart really empties memory and each silo's peak resident memory is its own (<c>VmHWM</c> in
/// <c>/proc/&lt;pid&gt;/status</c>), not mixed with the generator and the client.
/// </summary>
public sealed class SiloCluster(string siloDll, string connectionString, string clusterId, string serviceId, string logDirectory, IReadOnlyList<string> extraArguments) : IAsyncDisposable
{
    /// <summary>
    /// Free ports chosen at each start, never fixed ones: two benches on one machine (or a bench beside a demo silo)
    /// must not find each other's silos, whose clients would then bill or import into the other's database.
    /// </summary>
    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private readonly List<Process> _processes = [];
    private int _generation;

    public IReadOnlyList<Process> Processes => _processes;

    public async Task StartAsync(int silos)
    {
        _generation++;
        var starts = Enumerable.Range(0, silos).Select(StartOneAsync).ToList();
        await Task.WhenAll(starts);
    }

    private async Task StartOneAsync(int index)
    {
        var log = Path.Combine(logDirectory, $"silo{index + 1}-{_generation}.log");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // In the environment, not on the line: the silo refuses a password there, where ps shows it to every user.
        info.Environment["CST_ConnectionStrings__Cst"] = connectionString;
        foreach (var a in new[]
        {
            siloDll, "run",
            $"--Cluster:ClusterId={clusterId}",
            $"--Cluster:ServiceId={serviceId}",
            $"--Silo:SiloPort={FreePort()}",
            $"--Silo:GatewayPort={FreePort()}",
            "--DemoData:Load=Never",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Cst.Actors.Silo=Information",
            "--Logging:LogLevel:Cst.Actors.Grains=Information",
        }.Concat(extraArguments))
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("cst-silo did not start");
        lock (_processes)
        {
            _processes.Add(process);
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = new StreamWriter(log) { AutoFlush = true };
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (writer)
            {
                writer.WriteLine(line);
            }

            if (line.Contains("Silo started", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => started.TrySetException(new InvalidOperationException($"cst-silo {index + 1} exited; see {log}"));
        await started.Task.WaitAsync(TimeSpan.FromMinutes(2));
    }

    /// <summary>Peak resident memory (VmHWM) of each running silo, in bytes.</summary>
    public IReadOnlyList<long> PeakMemory() => _processes.Select(p => ReadStatus(p.Id, "VmHWM:")).ToList();

    /// <summary>CPU time (user + system) each running silo has used since it started.</summary>
    public IReadOnlyList<TimeSpan> CpuTime()
    {
        var result = new List<TimeSpan>();
        foreach (var p in _processes)
        {
            p.Refresh();
            result.Add(p.HasExited ? TimeSpan.Zero : p.TotalProcessorTime);
        }

        return result;
    }

    /// <summary>CPU time the whole machine has spent busy (all processes: silos, PostgreSQL, the bench), from /proc/stat.</summary>
    public static TimeSpan MachineBusy()
    {
        // cpu  user nice system idle iowait irq softirq steal ...: busy is everything but idle and iowait, in clock ticks.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var busy = fields.Sum() - fields[3] - fields[4];
        return TimeSpan.FromSeconds(busy / 100.0);
    }

    /// <summary>
    /// CPU time (user + system) of the PostgreSQL server of <paramref name="dataDirectory"/>: the postmaster, its
    /// children that have exited (reaped by it: cutime, cstime) and those still running (pooled backends, writers).
    /// </summary>
    public static TimeSpan PostgresCpu(string dataDirectory)
    {
        try
        {
            var postmaster = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
            long ticks = 0;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid))
                {
                    continue;
                }

                // pid (comm) state ppid ... utime(14) stime(15) cutime(16) cstime(17): fields after the command's closing parenthesis.
                string stat;
                try
                {
                    stat = File.ReadAllText(Path.Combine(dir, "stat"));
                }
                catch (IOException)
                {
                    continue;
                }

                var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ppid = int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture);
                if (pid == postmaster)
                {
                    ticks += f[11..15].Sum(x => long.Parse(x, System.Globalization.CultureInfo.InvariantCulture));
                }
                else if (ppid == postmaster)
                {
                    ticks += long.Parse(f[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(f[12], System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return TimeSpan.Zero;
        }
    }

    public static long ReadStatus(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    var kb = long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                    return kb * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    /// <summary>Stops every silo with SIGTERM (a graceful shutdown), SIGKILL after a minute.</summary>
    public async Task StopAsync()
    {
        foreach (var p in _processes.Where(p => !p.HasExited))
        {
            _ = Kill(p.Id, 15);
        }

        foreach (var p in _processes)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await p.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }

            p.Dispose();
        }

        _processes.Clear();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
