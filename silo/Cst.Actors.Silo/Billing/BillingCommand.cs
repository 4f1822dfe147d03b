using System.Diagnostics;
using System.Globalization;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Serialization;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Silo.Database;
using Cst.Actors.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NodaTime;
using Orleans.Configuration;

namespace Cst.Actors.Silo.Billing;

/// <summary>
/// <c>cst-silo billing &lt;preview|run|close|status|export&gt; --year Y</c>: the year-end billing run from the command
/// line, as an Orleans client of the running cluster (it finds the gateways in the membership table, with the same
/// connection settings as the silo). Waits for a started run to complete, printing its progress. Exit code 0 on
/// success, 1 when the cluster refuses or fails, 2 on a usage error.
/// </summary>
public static class BillingCommand
{
    private const string Section = "Billing:";
    private static readonly TimeSpan RetryBound = TimeSpan.FromSeconds(90);

    public static string Usage =>
        """
          billing preview --year Y            compute the preview of year Y (any time; this or next year projected to 31 December)
          billing run --year Y [--recompute]  the final run of a year that is over; on a closed year, a revision of adjustments
          billing close --year Y              close the completed final run: immutable from then on
          billing status --year Y [--mode preview|final]
          billing export --year Y [--mode preview|final] [--revision N] [--format csv|json|text|all] [--out DIR]
                                              statements and totals as CSV (; and decimal comma, UTF-8 with BOM) and JSON,
                                              and one readable text statement per payer
          (--operator NAME names who acts; default: the user name)

        """;

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] is not ("preview" or "run" or "close" or "status" or "export"))
        {
            Console.Error.WriteLine("cst-silo billing: say preview, run, close, status or export.");
            Console.Error.Write(Usage);
            return 2;
        }

        var action = args[0];
        IConfiguration configuration;
        int year;
        try
        {
            configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false)
                .AddEnvironmentVariables(SiloConfiguration.EnvironmentPrefix)
                .AddCommandLine(args[1..], Switches())
                .Build();
            year = int.Parse(configuration[Section + "Year"] ?? throw new FormatException("--year is required."), CultureInfo.InvariantCulture);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"cst-silo billing: {e.Message}");
            return 2;
        }

        var mode = action switch
        {
            "preview" => BillingRunMode.Preview,
            "run" or "close" => BillingRunMode.Final,
            _ => configuration[Section + "Mode"] == "preview" ? BillingRunMode.Preview : BillingRunMode.Final,
        };
        var op = configuration[Section + "Operator"] is { Length: > 0 } name ? name : Environment.UserName;

        string connectionString;
        try
        {
            connectionString = ConnectionString(configuration);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SiloConfigurationException)
        {
            Console.Error.WriteLine($"cst-silo billing: cannot find the database: {e.Message}");
            return 1;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "cst-billing" });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Error);
        var silo = SiloConfiguration.ReadSilo(configuration, connectionString);
        builder.UseOrleansClient(client =>
        {
            client.UseCstPostgres(connectionString);
            client.Services.AddCstSerialization();
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = silo.ClusterId;
                o.ServiceId = silo.ServiceId;
            });
        });
        using var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"cst-silo billing: cannot reach the cluster (is a silo running?): {e.Message}");
            return 1;
        }

        try
        {
            var client = host.Services.GetRequiredService<IClusterClient>();
            var grain = client.GetGrain<IBillingRunGrain>(BillingRunKey.For(year, mode));
            switch (action)
            {
                case "preview":
                case "run":
                    var started = Stopwatch.StartNew();
                    var view = await Retry(() => grain.StartAsync(op, configuration.GetValue<bool>(Section + "Recompute")));
                    while (view.Status == BillingRunStatus.Running)
                    {
                        Console.Error.Write($"\r{Describe(view)}   ");
                        await Task.Delay(TimeSpan.FromMilliseconds(500));
                        view = await Retry(grain.GetProgressAsync);
                    }

                    Console.Error.WriteLine();
                    Console.Out.WriteLine(Describe(view));
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall time {started.Elapsed.TotalSeconds:F1} s"));
                    PrintFailures(view);
                    return view.EntiFailed > 0 ? 1 : 0;
                case "close":
                    Console.Out.WriteLine(Describe(await Retry(() => grain.CloseAsync(op))));
                    return 0;
                case "status":
                    var status = await Retry(grain.GetProgressAsync);
                    Console.Out.WriteLine(Describe(status));
                    PrintFailures(status);
                    return 0;
                default:
                    return await ExportAsync(grain, configuration);
            }
        }
        catch (CstDomainError e)
        {
            Console.Error.WriteLine($"cst-silo billing: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is CstInfrastructureError or OrleansException or TimeoutException)
        {
            Console.Error.WriteLine($"cst-silo billing: the cluster failed: {e.Message}");
            return 1;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<int> ExportAsync(IBillingRunGrain grain, IConfiguration configuration)
    {
        int? revision = configuration[Section + "Revision"] is { Length: > 0 } r ? int.Parse(r, CultureInfo.InvariantCulture) : null;
        var format = configuration[Section + "Format"] ?? "all";
        if (format is not ("csv" or "json" or "text" or "all"))
        {
            Console.Error.WriteLine($"cst-silo billing: --format is csv, json, text or all, not '{format}'.");
            return 2;
        }

        var directory = Path.GetFullPath(configuration[Section + "Out"] ?? ".");
        Directory.CreateDirectory(directory);
        var totals = await Retry(() => grain.GetTotalsAsync(revision));
        var statements = new List<BilledStatement>();
        for (var skip = 0; ; skip += 500)
        {
            var page = await Retry(() => grain.GetStatementsAsync(totals.Revision, skip, 500));
            statements.AddRange(page);
            if (page.Count < 500)
            {
                break;
            }
        }

        var stem = string.Create(CultureInfo.InvariantCulture, $"{totals.Year}-{BillingExport.Mode(totals.Mode)}-r{totals.Revision}");
        var written = new List<string>();
        if (format is "csv" or "all")
        {
            written.Add(await WriteAsync(directory, $"rendiconti-{stem}.csv", BillingExport.StatementsCsv(statements), bom: true));
            written.Add(await WriteAsync(directory, $"totali-{stem}.csv", BillingExport.TotalsCsv(totals), bom: true));
        }

        if (format is "json" or "all")
        {
            written.Add(await WriteAsync(directory, $"billing-{stem}.json", BillingExport.Json(totals, statements), bom: false));
        }

        if (format is "text" or "all")
        {
            var textDirectory = Path.Combine(directory, $"rendiconti-{stem}");
            Directory.CreateDirectory(textDirectory);
            var today = SystemClock.Instance.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/Rome"]).Date;
            foreach (var payer in PayerGrouping.Group(statements))
            {
                await WriteAsync(textDirectory, BillingExport.TextFileName(payer.PayerId, totals.Year, totals.Mode, totals.Revision),
                    BillingExport.Text(payer, totals.Year, totals.Mode, totals.Revision, today), bom: true);
            }

            written.Add(textDirectory + "/ (one statement per payer)");
        }

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{totals.Year} {BillingExport.Mode(totals.Mode)} revision {totals.Revision}: {totals.Enti} enti, {totals.Lines} lines, total EUR {totals.GrandTotal}"));
        foreach (var file in written)
        {
            Console.Out.WriteLine("  " + file);
        }

        return 0;
    }

    private static async Task<string> WriteAsync(string directory, string name, string content, bool bom)
    {
        var path = Path.Combine(directory, name);
        await File.WriteAllBytesAsync(path, BillingExport.ToFileBytes(content, bom));
        return path;
    }

    private static string Describe(BillingRunView v) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{v.Year} {BillingExport.Mode(v.Mode)} revision {v.Revision}: {v.Status.ToString().ToLowerInvariant()}, {v.EntiDone}/{v.EntiTotal} enti, "
            + $"{v.EntiFailed} failed, {v.Lines} lines, total EUR {v.RunningTotal}");

    private static void PrintFailures(BillingRunView view)
    {
        foreach (var failure in view.Failures)
        {
            Console.Error.WriteLine($"  ente {failure.EnteId}: {failure.Message}");
        }
    }

    /// <summary>Retries calls that fail while a silo is being replaced (about 15 s with the default probes).</summary>
    private static async Task<T> Retry<T>(Func<Task<T>> call)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (e is not CstDomainError && elapsed.Elapsed < RetryBound
                && e is OrleansException or TimeoutException or CstInfrastructureError)
            {
                Console.Error.WriteLine($"cst-silo billing: {e.GetType().Name}, retrying: {e.Message}");
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>The configured connection string, or that of the embedded PostgreSQL (its port and password file).</summary>
    private static string ConnectionString(IConfiguration configuration)
    {
        if (SiloConfiguration.ConnectionString(configuration) is { } configured)
        {
            return configured;
        }

        var embedded = SiloConfiguration.ReadEmbeddedPostgres(configuration);
        var password = File.ReadAllText(Path.TrimEndingDirectorySeparator(embedded.DataDirectory) + ".password").Trim();
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = embedded.Port,
            Database = embedded.Database,
            Username = LocalPostgres.SuperUser,
            Password = password,
        }.ConnectionString;
    }

    private static Dictionary<string, string> Switches() => new()
    {
        ["--connection-string"] = "ConnectionStrings:" + SiloConfiguration.ConnectionStringName,
        ["--cluster-id"] = SiloConfiguration.ClusterIdKey,
        ["--service-id"] = SiloConfiguration.ServiceIdKey,
        ["--data-dir"] = SiloConfiguration.EmbeddedDataDirectoryKey,
        ["--postgres-port"] = SiloConfiguration.EmbeddedPortKey,
        ["--year"] = Section + "Year",
        ["--mode"] = Section + "Mode",
        ["--revision"] = Section + "Revision",
        ["--format"] = Section + "Format",
        ["--out"] = Section + "Out",
        ["--operator"] = Section + "Operator",
        ["--recompute"] = Section + "Recompute",
    };
}
