using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cst.Actors.Admin.Commands;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Billing;
using Npgsql;

namespace Cst.Actors.Admin.Tests;

/// <summary>
/// Following a billing run from the command line, and what an operator sees of an ente that cannot be billed or a
/// run that does not move: failed and stuck enti with their reasons, a close refused naming them, a cancel that is
/// audited, Ctrl-C that stops following and says the run goes on.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class BillingFollowTests(AdminCluster cluster)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task BillingClose_FinalRunWithFailedEnti_IsRefusedNamingThem()
    {
        // No population recorded for 2024: the run cannot bill this ente, and says so. (2024: a year no other test of
        // this shared cluster bills, so revision 1 is this test's own run. The other enti of the shared cluster fail
        // too, and a run lists its first 20 failures by code: this ente's code comes before theirs.)
        var (enteId, _, _, _) = await cluster.NewEnteAsync(istat: "001987");
        var (code, output, err) = await RunAsync(default, "billing", "run", "--year", "2024");
        Assert.True(code == CommandMode.ExitFailed, $"exit {code}: {err}");
        Assert.Matches(@"^2024 final r1: Completed with \d+ failed ent[ei], ", output);
        Assert.Contains($"cst: ente {enteId} not billed: ", err, StringComparison.Ordinal);

        (code, output, err) = await RunAsync(default, "billing", "status", "--year", "2024", "--mode", "final", "--json");
        Assert.Equal(0, code);
        var status = JsonDocument.Parse(output).RootElement;
        Assert.Equal("Completed", status.GetProperty("status").GetString());
        Assert.Contains(status.GetProperty("failures").EnumerateArray(), f => f.GetProperty("ente").GetString() == enteId
            && f.GetProperty("message").GetString()!.Contains("2024", StringComparison.Ordinal));

        (code, _, err) = await RunAsync(default, "billing", "close", "--year", "2024");
        Assert.Equal(CommandMode.ExitFailed, code);
        Assert.Matches(@"^cst: \d+ ente\(i\) could not be billed in revision 1 \([0-9A-Z]+[,;] ", err);
        Assert.Contains("correct them and start the run again with recompute before closing", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BillingPreview_StuckOnAnOutage_ShowsWhy_CtrlCStopsFollowing_StatusShowsIt_CancelIsAudited()
    {
        var (enteId, _, _, _) = await cluster.NewEnteAsync();
        // A fault that passes by itself on this ente's statement (disk full): the run is retried, never failed.
        await ExecuteAsync(
            $"""
            CREATE OR REPLACE FUNCTION test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                IF NEW.ente_id = '{enteId}' THEN
                    RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100';
                END IF;
                RETURN NEW;
            END
            $fn$;
            CREATE TRIGGER test_disk_full BEFORE INSERT ON billing_statement FOR EACH ROW EXECUTE FUNCTION test_disk_full();
            """);
        try
        {
            using var stop = new CancellationTokenSource();
            var err = new Lines();
            var mode = new CommandMode(new StringWriter(), err, progressToTerminal: false) { Stop = stop.Token };
            var following = mode.RunAsync(mode.Parse(["billing", "preview", "--year", "2026"]), () => Task.FromResult(cluster.Session()));

            await err.WaitForAsync("not moving since ", "the progress saying the run does not move");
            Assert.True(mode.Following);
            Assert.Contains("No space left on device", err.Text, StringComparison.Ordinal);

            // What the SIGINT handler does (Program.cs): stop following; the run goes on in the cluster.
            await stop.CancelAsync();
            var code = await following.WaitAsync(Bound);
            Assert.Equal(CommandMode.ExitInterrupted, code);
            Assert.False(mode.Following);
            Assert.Contains("cst: stopped following the billing run 2026 preview; it keeps running in the cluster: follow it with 'cst billing status --year 2026'",
                err.Text, StringComparison.Ordinal);

            var (statusCode, output, statusErr) = await RunAsync(default, "billing", "status", "--year", "2026");
            Assert.Equal(0, statusCode);
            Assert.Matches(@"^2026 preview r0: Running, .*; not moving since \d\d:\d\d:\d\d: .*No space left on device", output);
            Assert.Contains("cst: the run is not moving since ", statusErr, StringComparison.Ordinal);
            (statusCode, output, _) = await RunAsync(default, "billing", "status", "--year", "2026", "--json");
            Assert.Equal(0, statusCode);
            Assert.Contains("No space left on device", JsonDocument.Parse(output).RootElement.GetProperty("stuck").GetString(), StringComparison.Ordinal);

            (code, output, var cancelErr) = await RunAsync(default, "billing", "cancel", "--year", "2026");
            Assert.True(code == 0, $"exit {code}: {cancelErr}");
            Assert.StartsWith($"2026 preview r0: Cancelled by {AdminCluster.Operator} at ", output, StringComparison.Ordinal);
            (code, output, _) = await RunAsync(default, "audit", "--filter", "billing:2026/preview", "--json");
            Assert.Equal(0, code);
            var audit = JsonDocument.Parse(output).RootElement.EnumerateArray().First();
            Assert.Equal(("cancel", AdminCluster.Operator), (audit.GetProperty("action").GetString(), audit.GetProperty("operator").GetString()));

            (code, _, cancelErr) = await RunAsync(default, "billing", "cancel", "--year", "2026");
            Assert.Equal(CommandMode.ExitFailed, code);
            Assert.Contains("only a running run can be cancelled; revision 0 was cancelled by admin-test", cancelErr, StringComparison.Ordinal);
        }
        finally
        {
            await ExecuteAsync("DROP TRIGGER IF EXISTS test_disk_full ON billing_statement");
        }

        // A later preview starts afresh and completes (other tests' enti without a population fail: exit 1).
        var after = await RunAsync(default, "billing", "preview", "--year", "2026");
        Assert.True(after.Code is 0 or 1, $"exit {after.Code}: {after.Err}");
        Assert.StartsWith("2026 preview r0: Completed", after.Out, StringComparison.Ordinal);
        Assert.DoesNotContain($"ente {enteId} not billed", after.Err, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Out, string Err)> RunAsync(CancellationToken stop, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var mode = new CommandMode(output, error, progressToTerminal: false) { Stop = stop };
        var code = await mode.RunAsync(mode.Parse(args), () => Task.FromResult(cluster.Session()));
        return (code, output.ToString(), error.ToString());
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Following a run while the cluster does not answer, on a grain factory that stands in for it (no cluster).</summary>
public sealed class BillingFollowOutageTests
{
    [Fact]
    public async Task BillingPreview_ClusterNotAnswering_SaysSinceWhenAndRetries_UntilCtrlC()
    {
        using var stop = new CancellationTokenSource();
        var err = new Lines();
        var mode = new CommandMode(new StringWriter(), err, progressToTerminal: false) { Stop = stop.Token };
        var session = new AdminSession(SilentCluster.Create(), "admin-test");

        var following = mode.RunAsync(mode.Parse(["billing", "preview", "--year", "2026", "--json"]), () => Task.FromResult(session));

        await err.WaitForAsync("cluster not answering since ", "the progress saying the cluster does not answer");
        Assert.Matches(@"cst: cluster not answering since \d\d:\d\d:\d\d, retrying", err.Text);
        var asked = Stopwatch.StartNew();
        while (SilentCluster.Calls < 3)
        {
            Assert.True(asked.Elapsed < TimeSpan.FromSeconds(30), "expected the progress to be asked for again while the cluster does not answer");
            await Task.Delay(50);
        }

        Assert.Single(Regex.Matches(err.Text, "cluster not answering"));
        await stop.CancelAsync();
        Assert.Equal(CommandMode.ExitInterrupted, await following.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("it keeps running in the cluster: follow it with 'cst billing status --year 2026'", err.Text, StringComparison.Ordinal);
    }
}

/// <summary>A grain factory whose billing run started and then never answers again (a silo or database outage).</summary>
public class SilentCluster : DispatchProxy
{
    private static int _calls;

    public static int Calls => Volatile.Read(ref _calls);

    public static IGrainFactory Create() => Create<IGrainFactory, SilentCluster>();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
    {
        "GetGrain" => Create<IBillingRunGrain, SilentCluster>(),
        "StartAsync" => Task.FromResult(new BillingRunView(2026, BillingRunMode.Preview, 0, BillingRunStatus.Running, 1, null, 10, 2, 0,
            Money.Zero, 0, null, null, null, "silo", [])),
        "GetProgressAsync" => Task.FromException<BillingRunView>(new TimeoutException($"no answer {Interlocked.Increment(ref _calls)}")),
        _ => throw new NotSupportedException(targetMethod?.Name),
    };
}

/// <summary>A thread-safe text writer the test can wait on.</summary>
internal sealed class Lines : TextWriter
{
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }

    public async Task WaitForAsync(string text, string expected)
    {
        var elapsed = Stopwatch.StartNew();
        while (!Text.Contains(text, StringComparison.Ordinal))
        {
            if (elapsed.Elapsed > TimeSpan.FromSeconds(60))
            {
                Assert.Fail($"expected {expected} within 60 s; stderr so far: {Text}");
            }

            await Task.Delay(50);
        }
    }
}
