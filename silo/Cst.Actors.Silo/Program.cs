using System.Diagnostics;
using System.Runtime.InteropServices;
using Cst.Actors.Silo.Database;
using Cst.Actors.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

// cst-silo [run|migrate|backup|restore|rebuild-read-models] [options]   (cst-silo --help, cst-silo migrate --help)
//   run (default)  start PostgreSQL when none is configured, apply what is missing of sql/, run the silo until
//                  Ctrl-C or SIGTERM, then stop the silo and the PostgreSQL it started.
//   migrate        the same up to the schema, then exit.
//   backup         pg_dump of the database to --out FILE (consistent while silos run), then exit.
//   restore FILE   pg_restore of a backup into the configured database, which must be empty, then exit.
//   rebuild-read-models  run a silo, write the read models (enti list, upcoming deadlines) again, then exit.
//   issue-operator-cert --name N --out DIR   a personal client certificate of the cluster's CA (Hosting/ClusterCertificates.cs).
//   issue-silo-cert --name N --out DIR       a certificate for the silo of another host.
//   create-ca --tls-dir DIR                  a new CA with silo and operators' certificates (no embedded default).
// Configuration: appsettings.json beside the program, then CST_-prefixed environment variables, then the command
// line (Hosting/SiloCommandLine.cs: every option is a key, an unknown one is refused); keys and defaults are in
// Hosting/SiloConfiguration.cs.

const int ExitOk = 0;
const int ExitFailure = 1;
const int ExitUsage = 2;
const int ExitPostgresMissing = 3;

var commandLine = SiloCommandLine.Parse(args);
if (commandLine.Error is { } refusal)
{
    Console.Error.WriteLine($"cst-silo: {refusal}");
    return ExitUsage;
}

if (commandLine.Help)
{
    return commandLine.WriteHelp(Console.Out);
}

var verb = commandLine.Verb;

// Signals arriving before the host runs (while PostgreSQL starts, while migrating) cancel the work in hand; kept for
// the whole run, so that at no point can Ctrl-C or SIGTERM end the process with the private PostgreSQL still running.
using var shutdown = new CancellationTokenSource();
using var onSigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestShutdown);
using var onSigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestShutdown);

WebApplicationBuilder builder;
try
{
    builder = CreateBuilder(commandLine.Overrides);
}
catch (Exception e) when (e is FormatException or InvalidDataException)
{
    // appsettings.json that is not JSON.
    Console.Error.WriteLine($"cst-silo: {e.Message}");
    return ExitUsage;
}

using var loggerFactory = LoggerFactory.Create(logging => ConfigureLogging(logging, builder.Configuration));
var logger = loggerFactory.CreateLogger("Cst.Actors.Silo");

LocalPostgres? embedded = null;
try
{
    // Checked before anything starts, so a mistyped port does not wait for a database to come up first.
    var siloSettings = SiloConfiguration.ReadSilo(builder.Configuration, connectionString: string.Empty);
    var demoData = DemoDataLoader.ReadMode(builder.Configuration);
    var monitoring = MonitoringSettings.Read(builder.Configuration);
    if (verb is SiloCommandLine.IssueOperatorCert or SiloCommandLine.IssueSiloCert or SiloCommandLine.CreateCa)
    {
        var tlsDirectory = commandLine.TlsDirectory
            ?? Cst.Actors.Connection.CstConnectionSettings.TlsDirectory(SiloConfiguration.ReadEmbeddedPostgres(builder.Configuration).DataDirectory);
        if (verb == SiloCommandLine.CreateCa)
        {
            ClusterCertificates.CreateCa(tlsDirectory, logger);
            Console.Out.WriteLine($"cst-silo: CA, silo and operators' certificates created in {tlsDirectory}");
            return ExitOk;
        }

        var issued = ClusterCertificates.IssueNamed(tlsDirectory, commandLine.Name!, commandLine.File!, silo: verb == SiloCommandLine.IssueSiloCert);
        Console.Out.WriteLine(verb == SiloCommandLine.IssueSiloCert
            ? $"cst-silo: {issued} and its key issued by the CA of {tlsDirectory}, with ca.pem beside them; on the other host give them as Tls:CertificateFile, Tls:KeyFile and Tls:CaFile"
            : $"cst-silo: {issued} and its key issued by the CA of {tlsDirectory}, with ca.pem beside them; give them to cst as --cert, --key and --ca (the audit will name {commandLine.Name})");
        return ExitOk;
    }

    var connectionString = SiloConfiguration.ConnectionString(builder.Configuration);
    var tls = (verb is SiloCommandLine.Run or SiloCommandLine.RebuildReadModels) && connectionString is not null ? SiloTls.Read(builder.Configuration, siloSettings.Endpoints!) : null;
    if (connectionString is null)
    {
        var embeddedSettings = SiloConfiguration.ReadEmbeddedPostgres(builder.Configuration);
        logger.LogInformation(
            "No connection string configured (ConnectionStrings:{Name}): starting the embedded PostgreSQL on 127.0.0.1:{Port}, data in {DataDirectory}",
            SiloConfiguration.ConnectionStringName, embeddedSettings.Port, embeddedSettings.DataDirectory);
        var started = Stopwatch.StartNew();
        embedded = LocalPostgres.Create(embeddedSettings, loggerFactory.CreateLogger<LocalPostgres>());
        await embedded.StartAsync(shutdown.Token);
        logger.LogInformation(
            "Embedded PostgreSQL {How} in {Seconds:F1} s",
            embedded.Initialised ? "initialised and started" : "started", started.Elapsed.TotalSeconds);
        connectionString = embedded.ConnectionString;
        if (verb is SiloCommandLine.Run or SiloCommandLine.RebuildReadModels)
        {
            tls = SiloTls.Read(builder.Configuration, siloSettings.Endpoints!,
                Cst.Actors.Connection.CstConnectionSettings.TlsDirectory(embeddedSettings.DataDirectory), logger);
        }
    }
    else
    {
        logger.LogInformation("Using the configured PostgreSQL database {Database}", Describe(connectionString));
    }

    if (verb is SiloCommandLine.Backup or SiloCommandLine.Restore)
    {
        // Before the migrations: a restore goes into an empty database, which the migrations would fill.
        var programs = LocalPostgres.ProgramDirectory()
            ?? throw new PostgresBinariesMissingException("pg_dump and pg_restore were not found in /usr/lib/postgresql/<version>/bin; install them with: apt-get install postgresql");
        var backup = new PostgresBackup(connectionString, programs, loggerFactory.CreateLogger<PostgresBackup>());
        await (verb == SiloCommandLine.Backup
            ? backup.BackupAsync(commandLine.File!, shutdown.Token)
            : backup.RestoreAsync(commandLine.File!, shutdown.Token));
        return ExitOk;
    }

    var sqlDirectory = SiloConfiguration.ReadSqlDirectory(builder.Configuration);
    var applied = await new SchemaMigrator(connectionString, sqlDirectory, loggerFactory.CreateLogger<SchemaMigrator>())
        .ApplyAsync(shutdown.Token);
    logger.LogInformation("Schema up to date ({Count} script(s) applied now)", applied.Count);

    if (verb == "migrate")
    {
        return ExitOk;
    }

    var settings = siloSettings with { ConnectionString = connectionString };
    builder.UseOrleans(silo => silo.ConfigureCstSilo(settings).UseCstTls(tls).AddCstDashboard(monitoring));
    builder.AddCstMonitoring(monitoring);

    using var host = builder.Build();
    host.MapCstMonitoring(monitoring);
    try
    {
        await host.StartAsync(shutdown.Token);
    }
    catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
    {
        logger.LogInformation("Shutdown requested while the silo was starting");
        try
        {
            await host.StopAsync(CancellationToken.None);
        }
        catch (InvalidOperationException e)
        {
            // Orleans refuses to stop a silo that never reached Running; there is nothing of it to stop.
            logger.LogDebug(e, "Stopping the silo that had not started");
        }

        return ExitOk;
    }

    logger.LogInformation(
        "Silo started: cluster {ClusterId}, service {ServiceId}, silo {Advertised}:{SiloPort}, gateway {Advertised}:{GatewayPort} (listening on {Listen})",
        settings.ClusterId, settings.ServiceId, settings.Endpoints!.AdvertisedAddress, settings.Endpoints.SiloPort,
        settings.Endpoints.AdvertisedAddress, settings.Endpoints.GatewayPort, settings.Endpoints.ListenAddress);
    if (monitoring.Url is { } url)
    {
        logger.LogInformation("Monitoring on {Url}: {Health} health, {Metrics} Prometheus metrics{Dashboard}",
            url, SiloMonitoring.HealthPath, SiloMonitoring.MetricsPath, monitoring.Dashboard ? $", {SiloMonitoring.DashboardPath}/ dashboard" : string.Empty);
    }
    if (verb == SiloCommandLine.RebuildReadModels)
    {
        var rebuilt = await ReadModelRebuild.RunAsync(host.Services.GetRequiredService<IGrainFactory>(), logger, shutdown.Token);
        Console.WriteLine($"cst-silo: read models rebuilt: {rebuilt.Enti} enti, {rebuilt.Objects} objects");
        await host.StopAsync(CancellationToken.None);
        return ExitOk;
    }

    try
    {
        await DemoDataLoader.LoadAsync(demoData, embedded is not null, host.Services.GetRequiredService<IGrainFactory>(),
            host.Services.GetRequiredService<NodaTime.IClock>(), logger, shutdown.Token);
    }
    catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
    {
        logger.LogWarning("Shutdown requested while loading the demo data; start once with {Key}=Always to complete it", DemoDataLoader.LoadKey);
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        // The silo serves without its demo data; the operator reads why.
        logger.LogError(e, "The demo data could not be loaded; start once with {Key}=Always to retry", DemoDataLoader.LoadKey);
    }

    try
    {
        // A database that had enti before the read models' tables (0012, 0013) gets them filled once, here, rather
        // than showing empty lists until someone runs rebuild-read-models: bounded work, idempotent, and the silo
        // already serves meanwhile.
        await ReadModelRebuild.FillIfEmptyAsync(host.Services.GetRequiredService<IGrainFactory>(),
            host.Services.GetRequiredService<Cst.Actors.Grains.Infrastructure.IReadModelStore>(), logger, shutdown.Token);
    }
    catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
    {
        logger.LogWarning("Shutdown requested while filling the read models; run cst-silo rebuild-read-models to complete them");
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        logger.LogError(e, "The read models could not be filled; run cst-silo rebuild-read-models");
    }

    await host.WaitForShutdownAsync(CancellationToken.None);
    logger.LogInformation("Silo stopped");
    return ExitOk;
}
catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
{
    logger.LogInformation("Shutdown requested before the silo started");
    return ExitOk;
}
catch (PostgresBinariesMissingException e)
{
    // Expected on a fresh machine: say what to install, no stack trace.
    Console.Error.WriteLine($"cst-silo: {e.Message}");
    Console.Error.WriteLine(
        $"cst-silo: or give the connection string of an existing database (ConnectionStrings:{SiloConfiguration.ConnectionStringName}, "
        + $"e.g. environment variable {SiloConfiguration.EnvironmentPrefix}ConnectionStrings__{SiloConfiguration.ConnectionStringName}).");
    return ExitPostgresMissing;
}
catch (SiloConfigurationException e)
{
    Console.Error.WriteLine($"cst-silo: {e.Message}");
    return ExitUsage;
}
catch (Exception e) when (e is LocalPostgresException or SchemaMigrationException)
{
    // Errors whose message is written for an operator.
    Console.Error.WriteLine($"cst-silo: {e.Message}");
    return ExitFailure;
}
catch (Exception e)
{
    logger.LogCritical(e, "The silo failed");
    return ExitFailure;
}
finally
{
    if (embedded is not null)
    {
        try
        {
            await embedded.StopAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "The embedded PostgreSQL could not be stopped");
        }
    }
}

void RequestShutdown(PosixSignalContext context)
{
    // The host (when running) also stops on these signals; here they must not kill the process outright.
    context.Cancel = true;
    try
    {
        shutdown.Cancel();
    }
    catch (ObjectDisposedException)
    {
        // Already leaving Main.
    }
}

static WebApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?> commandLine)
{
    // Empty: the defaults would read every environment variable without a prefix (Orleans itself reads an "Orleans"
    // section), and the content root would be the working directory instead of the program's. A web host only for the
    // monitoring endpoints on the loopback (Hosting/SiloMonitoring.cs).
    var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
    {
        ContentRootPath = AppContext.BaseDirectory,
        ApplicationName = "cst-silo",
        EnvironmentName = Environment.GetEnvironmentVariable(SiloConfiguration.EnvironmentPrefix + "ENVIRONMENT") ?? Environments.Production,
    });
    builder.Configuration
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false)
        .AddEnvironmentVariables(SiloConfiguration.EnvironmentPrefix)
        .AddInMemoryCollection(commandLine);
    ConfigureLogging(builder.Logging, builder.Configuration);
    builder.Services.AddCstShutdownBounds();

    // Under systemd (Type=notify): tells systemd when the silo is ready and when it stops; elsewhere it does nothing.
    builder.Services.AddSystemd();
    return builder;
}

static void ConfigureLogging(ILoggingBuilder logging, IConfiguration configuration) =>
    logging.ConfigureCstLogging(configuration);

static string Describe(string connectionString)
{
    // Host, port, database and user only: the password stays out of the log.
    try
    {
        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{parsed.Database} on {parsed.Host}:{parsed.Port} as {parsed.Username}";
    }
    catch (ArgumentException)
    {
        return "(connection string not understood by Npgsql)";
    }
}
