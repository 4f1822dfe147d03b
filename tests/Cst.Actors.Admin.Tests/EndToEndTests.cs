using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Cst.Actors.Contracts.Import;
using NodaTime;

namespace Cst.Actors.Admin.Tests;

/// <summary>
/// The built <c>cst</c> binary against a <c>cst-silo</c> process on PostgreSQL: imported through command mode, driven
/// in tmux at 80x24 like an operator over SSH, and a command-mode billing preview. tmux is installed by <c>.ci/run</c>.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class EndToEndTests(AdminCluster cluster) : IAsyncLifetime
{
    private static readonly TimeSpan SiloBound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ScreenBound = TimeSpan.FromSeconds(30);

    /// <summary>How long the console may take to reach a restarted silo: its call policy repeats a call for 40 s.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    private readonly string _session = "cst-e2e-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _clusterId = "cst-e2e-" + Guid.NewGuid().ToString("N")[..6];
    private readonly StringBuilder _siloOutput = new();
    private readonly string _siloPort = FreePort();
    private readonly string _gatewayPort = FreePort();
    private Process? _silo;
    private string _connectionString = string.Empty;

    private Dictionary<string, string> Environment => new()
    {
        ["CST_ConnectionStrings__Cst"] = _connectionString,
        ["CST_Cluster__ClusterId"] = _clusterId,
    };

    public async Task InitializeAsync()
    {
        _connectionString = await cluster.Postgres.CreateDatabaseAsync();
        await StartSiloAsync();
    }

    /// <summary>Starts cst-silo on this test's ports and database; returns once it says it started.</summary>
    private async Task StartSiloAsync()
    {
        var startedBefore = SiloStarts;
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "cst-silo"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var a in new[] { "--silo-port", _siloPort, "--gateway-port", _gatewayPort, "--cluster-id", _clusterId })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["CST_ConnectionStrings__Cst"] = _connectionString;
        _silo = new Process { StartInfo = start };
        _silo.OutputDataReceived += (_, e) => Append(e.Data);
        _silo.ErrorDataReceived += (_, e) => Append(e.Data);
        _silo.Start();
        _silo.BeginOutputReadLine();
        _silo.BeginErrorReadLine();
        var elapsed = Stopwatch.StartNew();
        while (SiloStarts == startedBefore)
        {
            if (_silo.HasExited || elapsed.Elapsed > SiloBound)
            {
                Assert.Fail($"expected 'Silo started' from cst-silo within {SiloBound.TotalSeconds} s; output:\n{SiloOutput}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Stops cst-silo as a service manager does (SIGTERM) and waits until it has exited.</summary>
    private async Task StopSiloAsync()
    {
        var silo = _silo!;
        using (var kill = Process.Start("kill", ["-TERM", silo.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var bound = new CancellationTokenSource(SiloBound);
        try
        {
            await silo.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"expected cst-silo to exit within {SiloBound.TotalSeconds} s of SIGTERM; output:\n{SiloOutput}");
        }

        silo.Dispose();
        _silo = null;
    }

    private int SiloStarts
    {
        get
        {
            var output = SiloOutput;
            var count = 0;
            for (var at = output.IndexOf("Silo started", StringComparison.Ordinal); at >= 0; at = output.IndexOf("Silo started", at + 1, StringComparison.Ordinal))
            {
                count++;
            }

            return count;
        }
    }

    public async Task DisposeAsync()
    {
        await RunAsync("tmux", ["kill-session", "-t", _session], check: false);
        if (_silo is { HasExited: false })
        {
            _silo.Kill(entireProcessTree: true);
            await _silo.WaitForExitAsync();
        }

        _silo?.Dispose();
    }

    [Fact]
    public async Task Tmux_FindEnteAndRecordDisdetta_ScreenShowsIt()
    {
        var (file, name, mailbox) = await WriteImportAsync();
        var import = await RunAsync(Cst, ["import", file], Environment);
        Assert.True(import.Code == 0, $"cst import exited {import.Code}: {import.Err}");

        var env = string.Join(" ", Environment.Select(e => $"{e.Key}='{e.Value}'"));
        await RunAsync("tmux", ["new-session", "-d", "-s", _session, "-x", "80", "-y", "24", $"env -u DisableRealDriverIO TERM=xterm-256color {env} {Cst}"]);
        await WaitForScreenAsync("Enti:");
        await KeysAsync("/");
        await KeysAsync(name);
        await WaitForScreenAsync("1 mostrati");
        await KeysAsync("Enter");
        await KeysAsync("Enter");
        await WaitForScreenAsync("PEC");
        await KeysAsync("d");
        await WaitForScreenAsync("Registra disdetta");
        await KeysAsync("Tab");
        await KeysAsync("PROT-E2E-7");
        await KeysAsync("Enter");
        await WaitForScreenAsync("Conferma");
        await KeysAsync("Enter");
        var screen = await WaitForScreenAsync("disdetta ricevuta");

        Assert.Contains("Disdetta registrata, termina il", screen, StringComparison.Ordinal);
        var audit = await RunAsync(Cst, ["audit", "--filter", mailbox, "--json"], Environment);
        Assert.Contains("disdetta", audit.Out, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(System.Environment.UserName, audit.Out, StringComparison.Ordinal);
        await KeysAsync("F10");
    }

    [Fact]
    public async Task Tmux_SiloRestartsUnderAnOpenConsole_NextRefreshShowsNewData()
    {
        var (file, name, _) = await WriteImportAsync();
        Assert.Equal(0, (await RunAsync(Cst, ["import", file], Environment)).Code);
        var env = string.Join(" ", Environment.Select(e => $"{e.Key}='{e.Value}'"));
        await RunAsync("tmux", ["new-session", "-d", "-s", _session, "-x", "80", "-y", "24", $"env -u DisableRealDriverIO TERM=xterm-256color {env} {Cst}"]);
        await WaitForScreenAsync(name);

        // The silo restarts (as systemctl restart does) while the console is open, and the operator presses F8 while
        // it is away: the console says it keeps trying.
        await StopSiloAsync();
        await KeysAsync("F8");
        await WaitForScreenAsync(Tui.Texts.Italian.Unreachable);
        await StartSiloAsync();

        // Enti imported once the silo is back appear in the same console, without an error.
        var (again, newName, _) = await WriteImportAsync();
        var import = await RunAsync(Cst, ["import", again], Environment);
        Assert.True(import.Code == 0, $"cst import after the restart exited {import.Code}: {import.Err}");
        await KeysAsync("F8");
        var screen = await WaitForScreenAsync(newName, RecoveryBound);

        Assert.Contains("Enti: 4 mostrati", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("Error", screen, StringComparison.Ordinal);
        await KeysAsync("F10");
    }

    [Fact]
    public async Task CommandMode_BillingPreview_PrintsTotals()
    {
        var (file, _, _) = await WriteImportAsync();
        Assert.Equal(0, (await RunAsync(Cst, ["import", file], Environment)).Code);
        var year = DateTime.UtcNow.Year.ToString(CultureInfo.InvariantCulture);

        var preview = await RunAsync(Cst, ["billing", "preview", "--year", year], Environment);

        Assert.True(preview.Code == 0, $"cst billing preview exited {preview.Code}: {preview.Err}");
        Assert.Contains($"{year} preview r0: Completed", preview.Out, StringComparison.Ordinal);
        Assert.Contains("TOTAL EUR", preview.Out, StringComparison.Ordinal);
        var unknown = await RunAsync(Cst, ["ente", "show", "999998"], Environment);
        Assert.Equal(1, unknown.Code);
    }

    [Fact]
    public async Task CommandMode_CtrlCWhileFollowingAStuckPreview_Exits130AndTheRunGoesOnUntilCancelled()
    {
        var (file, name, _) = await WriteImportAsync();
        Assert.Equal(0, (await RunAsync(Cst, ["import", file], Environment)).Code);
        var year = DateTime.UtcNow.Year.ToString(CultureInfo.InvariantCulture);
        // A disk that stays full for one ente's statement: the preview cannot finish, and says why.
        await using (var connection = new Npgsql.NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var trigger = new Npgsql.NpgsqlCommand(
                $"""
                CREATE FUNCTION test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    IF NEW.ente_name = '{name}' THEN
                        RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100';
                    END IF;
                    RETURN NEW;
                END
                $fn$;
                CREATE TRIGGER test_disk_full BEFORE INSERT ON billing_statement FOR EACH ROW EXECUTE FUNCTION test_disk_full();
                """, connection);
            await trigger.ExecuteNonQueryAsync();
        }

        var start = new ProcessStartInfo(Cst) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "billing", "preview", "--year", year })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in Environment)
        {
            start.Environment[k] = v;
        }

        var err = new StringBuilder();
        using var cst = new Process { StartInfo = start };
        cst.ErrorDataReceived += (_, e) =>
        {
            lock (err)
            {
                err.AppendLine(e.Data);
            }
        };
        cst.Start();
        cst.BeginErrorReadLine();
        var output = cst.StandardOutput.ReadToEndAsync();
        string Err()
        {
            lock (err)
            {
                return err.ToString();
            }
        }

        var elapsed = Stopwatch.StartNew();
        while (!Err().Contains("not moving", StringComparison.Ordinal))
        {
            Assert.False(cst.HasExited, $"cst exited {(cst.HasExited ? cst.ExitCode : 0)} before the run was stuck: {Err()}");
            Assert.True(elapsed.Elapsed < SiloBound, $"expected cst to say the preview is not moving within {SiloBound.TotalSeconds} s: {Err()}");
            await Task.Delay(100);
        }

        // Ctrl-C, as the terminal sends it.
        Assert.Equal(0, (await RunAsync("kill", ["-INT", cst.Id.ToString(CultureInfo.InvariantCulture)])).Code);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await cst.WaitForExitAsync(timeout.Token);
        }

        await output;
        Assert.Equal(130, cst.ExitCode);
        Assert.Contains($"it keeps running in the cluster: follow it with 'cst billing status --year {year}'", Err(), StringComparison.Ordinal);

        var status = await RunAsync(Cst, ["billing", "status", "--year", year], Environment);
        Assert.StartsWith($"{year} preview r0: Running", status.Out, StringComparison.Ordinal);
        var cancel = await RunAsync(Cst, ["billing", "cancel", "--year", year], Environment);
        Assert.True(cancel.Code == 0, $"cst billing cancel exited {cancel.Code}: {cancel.Err}");
        Assert.Contains($"{year} preview r0: Cancelled by ", cancel.Out, StringComparison.Ordinal);
    }

    private static string Cst => Path.Combine(AppContext.BaseDirectory, "cst");

    private string SiloOutput
    {
        get
        {
            lock (_siloOutput)
            {
                return _siloOutput.ToString();
            }
        }
    }

    /// <summary>Two comuni with a population, a mailbox and a device, dated from today (the silo's real clock).</summary>
    private static async Task<(string File, string Name, string Mailbox)> WriteImportAsync()
    {
        var today = LocalDate.FromDateTime(DateTime.UtcNow);
        var name = "Comune di " + AdminCluster.Unique("Tmux");
        var mailbox = AdminCluster.Unique("e2e").ToLowerInvariant() + "@pec.comune.example.it";
        ImmutableList<ImportEnte> enti =
        [
            new ImportEnte
            {
                Name = name, IstatCode = AdminCluster.NewIstatCode(), AdheredOn = new LocalDate(today.Year - 2, 1, 1),
                Population = [new ImportPopulation { Year = today.Year, Inhabitants = 5000 }],
                Mailboxes = [new ImportMailbox { Address = mailbox, RequestedOn = new LocalDate(today.Year - 1, 2, 1), ActivatedOn = new LocalDate(today.Year - 1, 2, 1) }],
            },
            new ImportEnte
            {
                Name = "Comune di " + AdminCluster.Unique("Altro"), IstatCode = AdminCluster.NewIstatCode(), AdheredOn = new LocalDate(today.Year - 2, 1, 1),
                Population = [new ImportPopulation { Year = today.Year, Inhabitants = 1200 }],
            },
        ];
        var file = Path.Combine(Path.GetTempPath(), $"cst-e2e-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, ImportJson.Write(new ImportDocument { Enti = enti }));
        return (file, name, mailbox);
    }

    private Task<string> WaitForScreenAsync(string text) => WaitForScreenAsync(text, ScreenBound);

    private async Task<string> WaitForScreenAsync(string text, TimeSpan bound)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var screen = (await RunAsync("tmux", ["capture-pane", "-p", "-t", _session], check: false)).Out;
            if (screen.Contains(text, StringComparison.Ordinal))
            {
                return screen;
            }

            if (elapsed.Elapsed > bound)
            {
                Assert.Fail($"expected '{text}' on the cst screen in tmux within {bound.TotalSeconds} s; screen:\n{screen}\nsilo output:\n{SiloOutput}");
            }

            await Task.Delay(200);
        }
    }

    private async Task KeysAsync(string keys)
    {
        // (The headless view tests set DisableRealDriverIO in this process; the tmux server may inherit it, so the
        // command line above unsets it.)
        // Named keys (Enter, Tab, F10) as tmux names them; anything else typed literally.
        var named = keys is "Enter" or "Tab" or "Escape" or "F8" or "F10" or "Down";
        await RunAsync("tmux", named ? ["send-keys", "-t", _session, keys] : ["send-keys", "-t", _session, "-l", keys]);
        await Task.Delay(150);
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, bool check = true)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        var result = (process.ExitCode, await output, await error);
        if (check && program == "tmux" && result.ExitCode != 0)
        {
            Assert.Fail($"tmux {string.Join(' ', args)} exited {result.ExitCode}: {result.Item3}");
        }

        return result;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_siloOutput)
            {
                _siloOutput.AppendLine(line);
            }
        }
    }

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}
