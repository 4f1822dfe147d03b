using System.Diagnostics;
using System.Text.Json;
using Cst.Actors.Admin.Commands;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Admin.Tui;
using Cst.Actors.Connection;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Errors;
using Npgsql;

namespace Cst.Actors.Admin.Tests;

/// <summary>
/// The read-only verbs of command mode (ente list, deadlines, notices, audit) answered from the database: the same
/// output as through the cluster's query grain, no Orleans client started (only for a stale enti row), the same
/// refusals, the accounting role's rights, and a listing that stops when its reader goes away.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class DatabaseQueryTests(AdminCluster cluster)
{
    private const string NoClusterMessage = "an Orleans client was started for a command answered from the database";

    /// <summary>The cluster for a stale row: here a command that must not need one fails (exit 3) naming why.</summary>
    private static Task<IGrainFactory> NoCluster() => throw new CstConnectionException(NoClusterMessage);

    private async Task<(int Code, string Out, string Err)> ThroughGrainAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var mode = new CommandMode(output, error, progressToTerminal: false) { DeadlineWindows = (2, 3) };
        var code = await mode.RunAsync(mode.Parse(args), () => Task.FromResult(cluster.Session()));
        return (code, output.ToString(), error.ToString());
    }

    private async Task<(int Code, string Out, string Err)> FromDatabaseAsync(Func<Task<IGrainFactory>> onStale, TextWriter? output, params string[] args)
    {
        output ??= new StringWriter();
        var error = new StringWriter();
        var mode = new CommandMode(output, error, progressToTerminal: false) { DeadlineWindows = (2, 3) };
        await using var database = await cluster.DatabaseAsync(onStale);
        var code = await mode.RunAsync(mode.Parse(args), () => throw new CstConnectionException(NoClusterMessage),
            () => Task.FromResult(new AdminSession(database.Queries, AdminCluster.Operator)));
        return (code, output.ToString() ?? string.Empty, error.ToString());
    }

    /// <summary>Makes the ente's enti list row stale (as when a day passes an object's start or end), with a wrong count.</summary>
    private Task MakeStaleAsync(string enteId) =>
        cluster.ReadAsync("UPDATE ente_summary SET active_objects = 99, active_until = $2 WHERE ente_id = $1 RETURNING ente_id",
            enteId, cluster.Today.ToDateOnly());

    [Fact]
    public async Task ReadOnlyVerbs_FromTheDatabase_PrintExactlyWhatTheGrainPrints_WithoutAnOrleansClient()
    {
        var prefix = "Comune di " + AdminCluster.Unique("Eguale");
        var (stale, _, _, _) = await cluster.NewEnteAsync(prefix + " Alta");
        var (fresh, mailbox, _, _) = await cluster.NewEnteAsync(prefix + " Bassa");
        await cluster.NewEnteAsync();

        string[][] commands =
        [
            ["ente", "list", "--search", prefix, "--json"],
            ["ente", "list", "--search", prefix],
            ["ente", "list", "--search", prefix, "--offset", "1", "--limit", "1", "--json"],
            ["deadlines", "--days", "366", "--json"],
            ["deadlines", "--days", "45"],
            ["deadlines", "--days", "45", "--offset", "3", "--limit", "4", "--json"],
            ["notices", "--json"],
            ["notices", "--ente", fresh, "--json"],
            ["audit", "--filter", mailbox, "--json"],
            ["audit", "--max", "7"],
        ];
        foreach (var command in commands)
        {
            var expected = await ThroughGrainAsync(command);
            var actual = await FromDatabaseAsync(NoCluster, null, command);
            Assert.True(expected.Code == 0, $"{string.Join(' ', command)} through the grain: exit {expected.Code}, {expected.Err}");
            Assert.Equal(expected, actual);
        }

        // A stale row is computed by its ente, through an Orleans client started for it only: the same line both ways.
        await MakeStaleAsync(stale);
        var throughGrain = await ThroughGrainAsync("ente", "list", "--search", prefix, "--json");
        await MakeStaleAsync(stale);
        var started = 0;
        var fromDatabase = await FromDatabaseAsync(
            () =>
            {
                Interlocked.Increment(ref started);
                return Task.FromResult<IGrainFactory>(cluster.Cluster.Client);
            },
            null, "ente", "list", "--search", prefix, "--json");
        Assert.Equal(throughGrain, fromDatabase);
        Assert.Equal(1, started);
        var lines = JsonDocument.Parse(fromDatabase.Out).RootElement.EnumerateArray().ToList();
        Assert.Equal([stale, fresh], lines.Select(l => l.GetProperty("ente").GetString()));
        // The ente's own count (its mailbox and BusinessKey), not the 99 written into the stale row.
        var computed = await cluster.Cluster.Client.GetGrain<Contracts.Enti.IEnteGrain>(stale).GetSummaryAsync(cluster.Today.Year);
        Assert.Equal(computed.ActiveObjects, lines[0].GetProperty("activeServices").GetInt32());
        Assert.NotEqual(99, computed.ActiveObjects);
    }

    [Fact]
    public async Task EnteList_AStaleRowWithNoSiloReachable_ExitsThreeSayingSo()
    {
        var (enteId, _, _, name) = await cluster.NewEnteAsync();
        await MakeStaleAsync(enteId);

        var (code, output, err) = await FromDatabaseAsync(NoCluster, null, "ente", "list", "--search", name, "--json");

        Assert.Equal(CommandMode.ExitUnreachable, code);
        Assert.Equal($"cst: {NoClusterMessage}; {AdminConnection.StartHint}", err.Trim());
        Assert.Equal(CommandMode.ExitUnreachable, JsonDocument.Parse(output).RootElement.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Refusals_FromTheDatabase_AreTheGrainsOwn()
    {
        var (known, _, _, _) = await cluster.NewEnteAsync();
        await using var database = await cluster.DatabaseAsync(NoCluster);
        var grain = cluster.Cluster.Client.GetGrain<IAdminQueryGrain>(IAdminQueryGrain.Key);

        foreach (var (days, ente) in new (int, string?)[] { (367, null), (-1, null), (30, "999998"), (30, "ZZZ-" + known) })
        {
            var viaGrain = await Assert.ThrowsAsync<CstDomainError>(() => grain.DeadlinesAsync(days, ente, null, [], 0, 10));
            var viaSql = await Assert.ThrowsAsync<CstDomainError>(() => database.Queries.DeadlinesAsync(days, ente, null, [], 0, 10));
            Assert.Equal((viaGrain.Message, viaGrain.Code), (viaSql.Message, viaSql.Code));
            Assert.Equal(ErrorText.Of(viaGrain, Texts.Italian), ErrorText.Of(viaSql, Texts.Italian));
            viaSql = await Assert.ThrowsAsync<CstDomainError>(() => database.Queries.DeadlineWindowAsync(days, ente, null, [], 0, null, 10));
            Assert.Equal(viaGrain.Message, viaSql.Message);
        }

        Assert.Contains("There is no ente '999998'", (await Assert.ThrowsAsync<CstDomainError>(
            () => database.Queries.DeadlinesAsync(30, "999998", null, [], 0, 10))).Message, StringComparison.Ordinal);
        Assert.Equal(
            (await grain.DeadlinesAsync(366, known, null, [], 0, 100)).Rows,
            (await database.Queries.DeadlinesAsync(366, known, null, [], 0, 100)).Rows);
    }

    [Fact]
    public async Task AccountingLogin_ReadsEverythingTheConsoleQueries()
    {
        var (enteId, mailbox, _, name) = await cluster.NewEnteAsync();
        var role = "ragioneria_" + Guid.NewGuid().ToString("N")[..8];
        const string password = "letture-sole";
        await cluster.ReadAsync($"CREATE ROLE {role} LOGIN PASSWORD '{password}' IN ROLE accounting");
        try
        {
            var login = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Username = role, Password = password, Passfile = null }.ConnectionString;
            await using var database = await cluster.DatabaseAsync(NoCluster, login);
            var queries = database.Queries;

            var enti = await queries.EnteSummariesAsync(cluster.Today.Year, name, 0, 10);
            Assert.Equal([enteId], enti.Rows.Select(e => e.EnteId));
            Assert.Contains((await queries.DeadlinesAsync(366, enteId, null, [], 0, 100)).Rows, d => d.Object == mailbox);
            Assert.NotEmpty((await queries.DeadlineWindowAsync(366, null, null, [], 0, null, 10)).Rows);
            await queries.NoticesAsync(null, 10);
            Assert.NotEmpty(await queries.AuditAsync(mailbox, 10));
            Assert.False(database.AskedTheCluster);
        }
        finally
        {
            await cluster.ReadAsync($"DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task Deadlines_ReaderGoneAway_StopsAtTheFirstFailedWrite_Exit141_Silently()
    {
        await cluster.NewEnteAsync();
        await cluster.NewEnteAsync();
        var pipe = new ClosedPipeWriter();

        var (code, _, err) = await FromDatabaseAsync(NoCluster, pipe, "deadlines", "--days", "366", "--json");

        Assert.Equal((CommandMode.ExitBrokenPipe, string.Empty), (code, err));
        // The first window (2 rows) was taken; the write of the second failed and nothing was written after it.
        Assert.Equal(1, pipe.Flushes);
        Assert.Equal(2, pipe.Taken.ToString().Split("\"due\"").Length - 1);
        Assert.Equal(1, pipe.Refused);
    }

    [Fact]
    public async Task CstBinary_NoSiloAtAll_AnswersTheQueriesFromTheDatabase_AndAPipeClosedByHeadEndsTheListing()
    {
        // A database of its own, no silo in its cluster: 3,000 upcoming deadlines, more than a pipe's buffer holds.
        var connectionString = await cluster.Postgres.CreateDatabaseAsync();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO deadline_upcoming (object_kind, object_key, ente_id, ente_name, kind, due_date, description)
                SELECT 1, 'box' || i || '@pec.comune.example.it', '028001', 'Comune di Abano Terme', 1, current_date + 1 + i % 300,
                    'Disdetta deadline of mailbox box' || i
                FROM generate_series(1, 3000) AS i
                """, connection);
            await insert.ExecuteNonQueryAsync();
        }

        var cst = Path.Combine(AppContext.BaseDirectory, "cst");
        var environment = new Dictionary<string, string>
        {
            ["CST_ConnectionStrings__Cst"] = connectionString,
            ["CST_Cluster__ClusterId"] = "no-silo-" + Guid.NewGuid().ToString("N")[..6],
        };

        var all = await RunAsync("/bin/sh", ["-c", $"'{cst}' deadlines --days 366 --json"], environment);
        Assert.True(all.Code == 0, all.Err);
        Assert.Equal(3000, JsonDocument.Parse(all.Out).RootElement.GetArrayLength());
        var status = await RunAsync("/bin/sh", ["-c", $"'{cst}' billing status --year 2026"], environment);
        Assert.Equal(CommandMode.ExitUnreachable, status.Code);

        // head takes 3 lines and leaves: cst's next write finds no reader, and it stops there with 141, saying nothing.
        var piped = await RunAsync("/bin/bash", ["-c", $"'{cst}' deadlines --days 366 | head -n 3; echo \"exit ${{PIPESTATUS[0]}}\""], environment);
        var lines = piped.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("DUE", lines[0], StringComparison.Ordinal);
        Assert.Equal("exit 141", lines[^1]);
        Assert.Equal(string.Empty, piped.Err);

        // A script's report: two commands into one file opened once by the shell. What cst wrote must move the file's
        // shared offset, or the next command's output lands over it (it did, when cst wrote to the file at a position
        // of its own).
        var report = Path.Combine(Path.GetTempPath(), "cst-report-" + Guid.NewGuid().ToString("N") + ".txt");
        try
        {
            var script = await RunAsync("/bin/sh", ["-c", $"{{ '{cst}' deadlines --days 366 --limit 2; echo END; }} > '{report}'"], environment);
            Assert.True(script.Code == 0, script.Err);
            var written = (await File.ReadAllTextAsync(report)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(4, written.Length);
            Assert.StartsWith("DUE", written[0], StringComparison.Ordinal);
            Assert.Contains("box", written[1], StringComparison.Ordinal);
            Assert.Equal("END", written[^1]);
        }
        finally
        {
            File.Delete(report);
        }
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string> env)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env)
        {
            start.Environment[k] = v;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>A pipe whose reader leaves after the first flush: every later write fails with EPIPE, as on Linux.</summary>
    private sealed class ClosedPipeWriter : StringWriter
    {
        public StringWriter Taken { get; } = new();

        public int Flushes { get; private set; }

        public int Refused { get; private set; }

        public override void Write(char value) => Take(value.ToString());

        public override void Write(string? value) => Take(value);

        public override void WriteLine(string? value) => Take(value + NewLine);

        public override Task FlushAsync()
        {
            Flushes++;
            return Task.CompletedTask;
        }

        public override void Flush() => Flushes++;

        private void Take(string? value)
        {
            if (Flushes > 0)
            {
                Refused++;
                throw new IOException("Broken pipe", 32);
            }

            Taken.Write(value);
        }
    }
}
