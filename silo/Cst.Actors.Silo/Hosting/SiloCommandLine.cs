using System.CommandLine;
using System.Text.RegularExpressions;
using Cst.Actors.Connection;
using Cst.Actors.Grains;

namespace Cst.Actors.Silo.Hosting;

/// <summary>
/// <c>cst-silo [run|migrate] [options]</c>: the verbs and options of the silo program. Every option feeds a
/// configuration key (the table of <see cref="SiloConfiguration"/>), so the command line, <c>CST_</c> environment
/// variables and appsettings.json stay one configuration, the command line last. A configuration key may also be
/// given directly as <c>--Section:Key=value</c> when it is one the silo reads. Anything else (an unknown or
/// misplaced option, a stray word, a missing or malformed value) is refused with one line, before anything starts.
/// </summary>
public sealed partial class SiloCommandLine
{
    public const string Run = "run";
    public const string Migrate = "migrate";
    public const string Backup = "backup";
    public const string Restore = "restore";
    public const string RebuildReadModels = "rebuild-read-models";
    public const string IssueOperatorCert = "issue-operator-cert";
    public const string IssueSiloCert = "issue-silo-cert";
    public const string CreateCa = "create-ca";

    private readonly CommandLineInput _input;
    private readonly Dictionary<string, string?> _overrides;

    private SiloCommandLine(CommandLineInput input, string? error, string verb, Dictionary<string, string?> overrides, string? file)
    {
        _input = input;
        Error = error;
        Verb = verb;
        _overrides = overrides;
        File = file;
    }

    /// <summary>
    /// The file of <see cref="Backup"/> (<c>--out</c>) or <see cref="Restore"/> (its argument), or the directory
    /// (<c>--out</c>) of <see cref="IssueOperatorCert"/> and <see cref="IssueSiloCert"/>.
    /// </summary>
    public string? File { get; }

    /// <summary>The certificate's name (<c>--name</c>) of <see cref="IssueOperatorCert"/> and <see cref="IssueSiloCert"/>.</summary>
    public string? Name { get; private init; }

    /// <summary>The CA's directory (<c>--tls-dir</c>); null: the embedded default's, beside its data directory.</summary>
    public string? TlsDirectory { get; private init; }

    /// <summary>Why the line is refused, in one line naming the offending word; null when it is sound.</summary>
    public string? Error { get; }

    /// <summary>The line asks for help (<c>--help</c>, <c>-h</c>, <c>-?</c>, or the verb <c>help</c>).</summary>
    public bool Help => Error is null && (_input.Help || Verb == "help");

    /// <summary><see cref="Run"/> (also with no verb) or <see cref="Migrate"/>.</summary>
    public string Verb { get; }

    /// <summary>The configuration given on the line, as keys and values.</summary>
    public IReadOnlyDictionary<string, string?> Overrides => _overrides;

    public static SiloCommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);

        // --Section:Key=value: a configuration key the silo reads (cst-bench passes Billing:* and Logging:* this way).
        var keys = new List<KeyValuePair<string, string?>>();
        var rest = new List<string>();
        string? unknownKey = null;
        string? secretOnLine = null;
        foreach (var arg in args.TakeWhile(a => a != "--"))
        {
            if (ConfigurationKeyArgument().Match(arg) is { Success: true } match)
            {
                var key = match.Groups["key"].Value;
                unknownKey ??= IsKnownKey(key) ? null : key;
                if (key.StartsWith("ConnectionStrings:", StringComparison.OrdinalIgnoreCase))
                {
                    secretOnLine ??= StrictCommandLine.PasswordRefusal("--" + key, match.Groups["value"].Value);
                }
                keys.Add(new(key, match.Groups["value"].Value));
            }
            else
            {
                rest.Add(arg);
            }
        }

        rest.AddRange(args.SkipWhile(a => a != "--"));

        var connection = ConfigurationOptions.Connection(recursive: false);
        var sql = new ConfigurationOptions();
        sql.Add(StrictCommandLine.Text("--sql-dir", $"directory of the SQL scripts ({SiloConfiguration.SqlDirectoryKey}), default sql/ beside the program", "DIR"), SiloConfiguration.SqlDirectoryKey);
        var silo = new ConfigurationOptions();
        silo.Add(StrictCommandLine.Port("--silo-port", $"silo-to-silo port ({SiloConfiguration.SiloPortKey}), default {SiloEndpoints.DefaultSiloPort}"), SiloConfiguration.SiloPortKey);
        silo.Add(StrictCommandLine.Port("--gateway-port", $"port clients connect to ({SiloConfiguration.GatewayPortKey}), default {SiloEndpoints.DefaultGatewayPort}"), SiloConfiguration.GatewayPortKey);
        silo.Add(StrictCommandLine.Address("--listen-address", $"address the silo listens on ({SiloConfiguration.ListenAddressKey}), default 127.0.0.1; 0.0.0.0 for all"), SiloConfiguration.ListenAddressKey);
        silo.Add(StrictCommandLine.Address("--advertised-address", $"address other silos and clients reach ({SiloConfiguration.AdvertisedAddressKey}), default 127.0.0.1"), SiloConfiguration.AdvertisedAddressKey);
        silo.Add(StrictCommandLine.Choice("--demo-data", $"{DemoDataLoader.LoadKey}: FirstStart (default: on the embedded PostgreSQL with no enti yet), Always or Never", StringComparer.OrdinalIgnoreCase, "FirstStart", "Always", "Never"), DemoDataLoader.LoadKey);

        var root = new Command("cst-silo", $"The Orleans silo of Cst.Actors. Options also come from appsettings.json beside the program and from environment variables {SiloConfiguration.EnvironmentPrefix}<Section>__<Key>; a key the silo reads may be given as --Section:Key=value.");
        var commandLine = new StrictCommandLine(root);
        var run = new Command(Run, "(default) start the silo; without a connection string, first start a private PostgreSQL; apply what is missing of sql/");
        var migrate = new Command(Migrate, "apply the missing sql/ scripts to the database and exit");
        var backup = new Command(Backup, "write a consistent copy of the database (pg_dump, custom format) to --out FILE while the cluster runs, and exit");
        var backupFile = new Option<string>("--out") { Description = "the backup file to write (created 0600; an existing file is refused)", HelpName = "FILE", Required = true };
        backup.Options.Add(backupFile);
        var restore = new Command(Restore, "restore a backup (pg_restore) into the configured database, which must be empty (a new one), and exit");
        var restoreFile = new Argument<string>("FILE") { Description = "a file written by cst-silo backup" };
        restore.Arguments.Add(restoreFile);
        var rebuild = new Command(RebuildReadModels, "start a silo (options of run), write the enti list and the upcoming deadlines again from every ente and object, report progress, and exit; safe to repeat");
        var tlsDirectory = new Option<string>("--tls-dir") { Description = "directory of the cluster's CA (ca.pem, ca.key); default: the embedded default's, DATA-DIR.tls", HelpName = "DIR" };
        var issueOperator = new Command(IssueOperatorCert, "issue a personal client certificate of the cluster's CA for cst (--cert/--key/--ca); the audit names it");
        var issueSilo = new Command(IssueSiloCert, "issue a certificate of the cluster's CA for the silo of another host (Tls:* there)");
        var certificateName = new Option<string>("--name") { Description = "the operator's name (e.g. mario.rossi) or the host's; the certificate's subject is CN=NAME", HelpName = "NAME", Required = true };
        var certificateOut = new Option<string>("--out") { Description = "directory to write NAME.pem, NAME.key (0600) and ca.pem to", HelpName = "DIR", Required = true };
        foreach (var command in new[] { issueOperator, issueSilo })
        {
            command.Options.Add(certificateName);
            command.Options.Add(certificateOut);
            command.Options.Add(tlsDirectory);
            connection.AddTo(command);
            command.SetAction(_ => 0);
        }

        var createCa = new Command(CreateCa, "create a cluster CA with the silo's and operators' certificates in --tls-dir (an external database; the embedded default makes its own)");
        var createCaDirectory = new Option<string>("--tls-dir") { Description = "new directory for the CA and certificates", HelpName = "DIR", Required = true };
        createCa.Options.Add(createCaDirectory);
        createCa.SetAction(_ => 0);
        var help = new Command("help", "this help") { Hidden = true };
        foreach (var command in new[] { root, run, rebuild })
        {
            connection.AddTo(command);
            sql.AddTo(command);
            silo.AddTo(command);
            command.SetAction(_ => 0);
        }

        connection.AddTo(migrate);
        sql.AddTo(migrate);
        migrate.SetAction(_ => 0);
        foreach (var command in new[] { backup, restore })
        {
            connection.AddTo(command);
            command.SetAction(_ => 0);
        }

        help.SetAction(_ => 0);
        root.Subcommands.Add(run);
        root.Subcommands.Add(migrate);
        root.Subcommands.Add(backup);
        root.Subcommands.Add(restore);
        root.Subcommands.Add(rebuild);
        root.Subcommands.Add(issueOperator);
        root.Subcommands.Add(issueSilo);
        root.Subcommands.Add(createCa);
        root.Subcommands.Add(help);

        var input = commandLine.Parse(rest);
        var verb = input.Command == root ? Run : input.Command.Name;
        var error = input.Error ?? secretOnLine ?? (unknownKey is null ? null
            : $"'{unknownKey}' is not a configuration key the silo reads (cst-silo --help; README.md, Configuration).");
        if (error is null && verb is Migrate or Backup or Restore or IssueOperatorCert or IssueSiloCert or CreateCa
            && silo.Options.FirstOrDefault(o => input.Result.GetResult(o) is { Implicit: false }) is { } misplaced)
        {
            error = $"{verb} does not take '{misplaced.Name}'; it goes with run (cst-silo --help).";
        }

        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (error is null)
        {
            foreach (var (key, value) in keys)
            {
                overrides[key] = value;
            }

            foreach (var options in new[] { connection, sql, silo })
            {
                foreach (var (key, value) in options.Overrides(input.Result))
                {
                    overrides[key] = value;
                }
            }
        }

        var file = verb switch
        {
            Backup => input.Result.GetValue(backupFile),
            Restore => input.Result.GetValue(restoreFile),
            IssueOperatorCert or IssueSiloCert => input.Result.GetValue(certificateOut) is { } o ? Path.GetFullPath(o) : null,
            _ => null,
        };
        var tlsDir = verb switch
        {
            IssueOperatorCert or IssueSiloCert => input.Result.GetValue(tlsDirectory),
            CreateCa => input.Result.GetValue(createCaDirectory),
            _ => null,
        };
        return new SiloCommandLine(input, error, verb, overrides, file)
        {
            Name = verb is IssueOperatorCert or IssueSiloCert ? input.Result.GetValue(certificateName) : null,
            TlsDirectory = tlsDir is null ? null : Path.GetFullPath(tlsDir),
        };
    }

    /// <summary>Writes the help of the command named (the whole program's for <c>help</c>); returns 0.</summary>
    public int WriteHelp(TextWriter output) =>
        Verb == "help" ? Parse(["--help"]).WriteHelp(output) : _input.WriteHelp(output);

    /// <summary>The keys the silo reads: its table, the billing run's options, the issuer, and the logging section.</summary>
    private static bool IsKnownKey(string key)
    {
        string[] keys =
        [
            "ConnectionStrings:" + SiloConfiguration.ConnectionStringName, SiloConfiguration.ClusterIdKey, SiloConfiguration.ServiceIdKey,
            SiloConfiguration.SiloPortKey, SiloConfiguration.GatewayPortKey, SiloConfiguration.ListenAddressKey,
            SiloConfiguration.AdvertisedAddressKey, SiloConfiguration.EmbeddedDataDirectoryKey, SiloConfiguration.EmbeddedPortKey,
            SiloConfiguration.SqlDirectoryKey, DemoDataLoader.LoadKey,
            .. MonitoringSettings.Keys,
            .. CstTlsSettings.Keys,
            .. typeof(BillingRunOptions).GetProperties().Select(p => $"{CstSiloBuilderExtensions.BillingRunOptionsSection}:{p.Name}"),
            .. typeof(Documents.IssuerSettings).GetProperties().Where(p => p.CanWrite).Select(p => $"{Documents.IssuerSettings.Section}:{p.Name}"),
            .. typeof(Grains.Outbox.OutboxOptions).GetProperties().Where(p => p.CanWrite).Select(p => $"{Grains.Outbox.OutboxOptions.Section}:{p.Name}"),
            .. typeof(Grains.Outbox.OutboxReceiptOptions).GetProperties().Where(p => p.CanWrite).Select(p => $"{Grains.Outbox.OutboxReceiptOptions.Section}:{p.Name}"),
        ];
        return keys.Contains(key, StringComparer.OrdinalIgnoreCase)
            || key.StartsWith("Logging:", StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"^--(?<key>[A-Za-z][A-Za-z0-9_.-]*(:[A-Za-z0-9_.*-]+)+)=(?<value>.*)$", RegexOptions.Singleline)]
    private static partial Regex ConfigurationKeyArgument();
}
