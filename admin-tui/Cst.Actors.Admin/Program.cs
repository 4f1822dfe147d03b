using System.Runtime.InteropServices;
using Cst.Actors.Admin.Commands;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Admin.Tui;
using Cst.Actors.Connection;

// cst                  the admin console (Terminal.Gui), for sysadmins over SSH (ssh -t host cst)
// cst VERB [options]   command mode for scripts: see CommandMode.Usage; cst VERB --help for one verb
// Configuration as the silo's: CST_ environment variables or --connection-string etc.; with none, the embedded
// PostgreSQL of this host (its port, password file and operators' certificate). The operator in the audit is the
// client certificate's subject, or the OS user with the shared operators' certificate (Infrastructure/OperatorIdentity.cs).

Timings.Started();

// The console's language: --lang it|en, else CST_LANG, else Italian (command mode says its refusals in it; the rest of
// its output, read by scripts, stays as it is).
var texts = Texts.Choose(ref args, Environment.GetEnvironmentVariable("CST_LANG"), out var languageProblem);
if (texts is null)
{
    Console.Error.WriteLine($"cst: {languageProblem}.");
    return CommandMode.ExitUsage;
}

// Every word is checked (System.CommandLine, Commands/CommandMode.cs) before anything connects.
// Ctrl-C (SIGINT) or SIGTERM while a billing run is followed stops following, says how to follow it again and
// exits 130 or 143; the run goes on in the cluster. At any other moment the signals end the process as usual.
using var stop = new CancellationTokenSource();
var output = StandardOutput.Open();
var mode = new CommandMode(output, Console.Error, progressToTerminal: !Console.IsErrorRedirected) { Stop = stop.Token, Texts = texts };
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => StopFollowing(c, CommandMode.ExitInterrupted));
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => StopFollowing(c, CommandMode.ExitTerminated));
if (OperatorIdentity.GivesOperator(args))
{
    Console.Error.WriteLine($"cst: {OperatorIdentity.OperatorOptionRefusal}");
    return CommandMode.ExitUsage;
}

var parsed = mode.Parse(args);
var configuration = AdminConnection.ReadConfiguration(parsed.ConfigurationOverrides());
Timings.Mark("read the command line and the configuration");
AdminConnection? connection = null;
DatabaseSession? database = null;
var exitCode = CommandMode.ExitOk;
try
{
    if (!parsed.OpensConsole)
    {
        // ente list, deadlines, notices and audit read the database (no Orleans client, no client host); the other
        // verbs, and an enti row gone stale, start the Orleans client.
        exitCode = await mode.RunAsync(
            parsed,
            async () =>
            {
                var cluster = await ClusterAsync();
                return new AdminSession(cluster.Client, cluster.Operator);
            },
            async () =>
            {
                var settings = CstConnectionSettings.ReadClient(configuration);
                database = await DatabaseSession.OpenAsync(settings.ConnectionString, NodaTime.SystemClock.Instance,
                    async () => (await ClusterAsync()).Client, TimeSpan.FromSeconds(20),
                    settings.Embedded ? "the embedded PostgreSQL on 127.0.0.1" : "the configured database");
                Timings.Mark("opened the database connection");
                return new AdminSession(database.Queries, Environment.UserName);
            });
        try
        {
            await output.FlushAsync();
        }
        catch (IOException e) when (StandardOutput.IsBrokenPipe(e))
        {
            exitCode = CommandMode.ExitBrokenPipe;
        }

        return exitCode;
    }

    if (!AdminTui.AttachedToTerminal())
    {
        Console.Error.WriteLine("cst: the console needs a terminal (use ssh -t); for scripts give a verb, see cst --help.");
        return CommandMode.ExitUsage;
    }

    try
    {
        Console.Error.WriteLine("cst: connecting to the cluster...");
        connection = await AdminConnection.ConnectAsync(configuration, TimeSpan.FromSeconds(20), args);
    }
    catch (CstConnectionException e)
    {
        Console.Error.WriteLine($"cst: {AdminConnection.Explain(e)}");
        return CommandMode.ExitUnreachable;
    }

    return AdminTui.Run(new AdminSession(connection.Client, connection.Operator), texts);
}
finally
{
    Timings.Mark("ran the command, output written");
    if (database is not null)
    {
        await database.DisposeAsync();
    }

    if (connection is not null)
    {
        await connection.DisposeAsync();
        Timings.Mark("stopped the Orleans client");
    }

    Timings.Write(Console.Error);
}

async Task<AdminConnection> ClusterAsync()
{
    connection = await AdminConnection.ConnectAsync(configuration, TimeSpan.FromSeconds(20), args);
    Timings.Mark("started the Orleans client (membership table, gateway)");
    return connection;
}

void StopFollowing(PosixSignalContext context, int exitCode)
{
    if (mode.Following)
    {
        context.Cancel = true;
        mode.StopExitCode = exitCode;
        stop.Cancel();
    }
}
