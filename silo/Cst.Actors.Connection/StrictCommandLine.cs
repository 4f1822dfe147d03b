using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;

namespace Cst.Actors.Connection;

/// <summary>
/// The command-line rules of every program of the project (<c>cst</c>, <c>cst-silo</c>, <c>cst-bench</c>), over
/// System.CommandLine: an unknown or misplaced option, a stray word, a missing or malformed value is refused with one
/// line naming it, never ignored and never taken as another option's value. Every command has its own <c>--help</c>.
/// </summary>
public sealed class StrictCommandLine
{
    private static readonly ParserConfiguration Parsing = new()
    {
        // "@name" is a value here, not a file of arguments to read.
        ResponseFileTokenReplacer = null,
    };

    private readonly Dictionary<(Command Command, string Token), string> _hints = [];

    public StrictCommandLine(Command root)
    {
        ArgumentNullException.ThrowIfNull(root);
        Root = root;
        var help = new HelpOption { Recursive = true };
        if (help.Action is HelpAction action)
        {
            action.MaxWidth = 100;
        }

        root.Options.Add(help);
    }

    public Command Root { get; }

    /// <summary>What to say when <paramref name="token"/> is given to <paramref name="command"/>, which does not take it.</summary>
    public void Hint(Command command, string token, string text) => _hints[(command, token)] = text;

    /// <summary>Parses <paramref name="args"/>; the result carries the one-line refusal, if any.</summary>
    public CommandLineInput Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        ParseResult result;
        var culture = CultureInfo.CurrentUICulture;
        try
        {
            // The few messages taken from the library stay in English, as every other message of the programs.
            CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            result = Root.Parse(args, Parsing);
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }

        return new CommandLineInput(result, Refusal(result, args));
    }

    /// <summary>An option with one whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int?> Integer(string name, int min, int max, string description, string helpName = "N") => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = r => Value(r) is not { } text ? null
            : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
            : Refuse<int?>(r, $"{name} must be a whole number from {min} to {max}, not '{text}'."),
    };

    /// <summary>An option naming a TCP port, kept as text for the configuration it feeds.</summary>
    public static Option<string?> Port(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "PORT",
        CustomParser = r => Value(r) is not { } text ? null
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535 ? text
            : Refuse<string?>(r, $"{name} must be a TCP port (1-65535), not '{text}'."),
    };

    /// <summary>An option naming an IP address, kept as text for the configuration it feeds.</summary>
    public static Option<string?> Address(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "ADDRESS",
        CustomParser = r => Value(r) is not { } text ? null
            : IPAddress.TryParse(text.Trim(), out _) ? text
            : Refuse<string?>(r, $"{name} must be an IP address such as 127.0.0.1, not '{text}'."),
    };

    /// <summary>An option whose value is one of <paramref name="values"/> (compared as <paramref name="comparer"/> says).</summary>
    public static Option<string?> Choice(string name, string description, StringComparer comparer, params string[] values) => new(name)
    {
        Description = description,
        HelpName = string.Join('|', values),
        CustomParser = r => Value(r) is not { } text ? null
            : values.FirstOrDefault(v => comparer.Equals(v, text)) is { } known ? known
            : Refuse<string?>(r, $"{name} must be {Alternatives(values)}, not '{text}'."),
    };

    /// <summary>An option with free text (a name, a path, a search text).</summary>
    public static Option<string?> Text(string name, string description, string helpName) =>
        new(name) { Description = description, HelpName = helpName };

    /// <summary>
    /// A PostgreSQL connection string without a password: any user can read a command line (<c>ps</c>,
    /// /proc/PID/cmdline), so a password given there is refused, saying where to put it instead.
    /// </summary>
    public static Option<string?> ConnectionString(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "TEXT",
        CustomParser = r => Value(r) is not { } text ? null
            : PasswordRefusal(name, text) is { } refusal ? Refuse<string?>(r, refusal)
            : text,
    };

    /// <summary>Why a connection string given on a command line as <paramref name="name"/> is refused, or null.</summary>
    public static string? PasswordRefusal(string name, string connectionString)
    {
        try
        {
            if (new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Password is not { Length: > 0 })
            {
                return null;
            }
        }
        catch (ArgumentException)
        {
            // Not understood here: Npgsql says what is wrong with it where it is used.
            return null;
        }

        return $"{name} carries a password, which any user can read on a command line (ps); give it in the environment "
            + $"({CstConnectionSettings.EnvironmentPrefix}ConnectionStrings__{CstConnectionSettings.ConnectionStringName}, e.g. from a 0600 EnvironmentFile) "
            + "or in a password file (Passfile=... in the connection string, or PGPASSFILE), and leave it out of the line.";
    }

    /// <summary>"a, b or c".</summary>
    public static string Alternatives(IReadOnlyList<string> values) =>
        values.Count <= 1 ? string.Join(string.Empty, values) : $"{string.Join(", ", values.Take(values.Count - 1))} or {values[^1]}";

    private static string? Value(ArgumentResult result) => result.Tokens.Count == 1 ? result.Tokens[0].Value : null;

    private static T? Refuse<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default;
    }

    /// <summary>Why the line is refused, in one line naming the offending word, or null when it is sound.</summary>
    private string? Refusal(ParseResult result, IReadOnlyList<string> args)
    {
        var here = result.CommandResult.Command;
        // "cst ente list" for the help hint; "ente list: " before a message (the program's name is the line's prefix).
        var path = PathOf(result.CommandResult);
        var verb = path.Contains(' ', StringComparison.Ordinal) ? path[(path.IndexOf(' ', StringComparison.Ordinal) + 1)..] : string.Empty;
        var at = verb.Length > 0 ? verb + ": " : string.Empty;

        // A value that is itself an option ("--search --data-dir X") is a value forgotten, not a search for "--data-dir".
        var tokens = result.Tokens;
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Type == TokenType.Option
                && OptionNamed(tokens[i].Value) is { Arity.MaximumNumberOfValues: > 0 } option
                && option.ValueType != typeof(bool)
                && tokens[i + 1] is { Type: TokenType.Argument, Value: var next }
                && LooksLikeOption(next)
                && Adjacent(args, tokens[i].Value, next))
            {
                return $"'{option.Name}' needs a value, not the option '{next}' (a value beginning with '-' is written {option.Name}=VALUE).";
            }
        }

        if (tokens.FirstOrDefault(t => t.Type == TokenType.Directive) is { } directive)
        {
            return $"{at}unexpected '{directive.Value}' ({path} --help).";
        }

        if (result.UnmatchedTokens.Count > 0)
        {
            var word = result.UnmatchedTokens[0];
            if (LooksLikeOption(word))
            {
                var name = word.Split('=', 2)[0];
                return _hints.TryGetValue((here, name), out var hint) ? $"{verb} does not take '{name}': {hint}"
                    : Elsewhere(here, name) is { Count: > 0 } others
                        ? verb.Length > 0
                            ? $"{verb} does not take '{name}'; it goes with {Alternatives(others)} ({path} --help)."
                            : $"'{name}' goes with {Alternatives(others)} ({path} --help)."
                    : Similar(here, name) is { } similar ? $"{at}unknown option '{name}'; did you mean '{similar}'? ({path} --help lists the options)"
                    : $"{at}unknown option '{name}' ({path} --help lists the options).";
            }

            return here.Subcommands.Count > 0
                ? $"{at}unknown verb '{word}' ({path} --help lists them)."
                : $"{at}unexpected argument '{word}' ({path} --help).";
        }

        foreach (var error in result.Errors)
        {
            switch (error.SymbolResult)
            {
                case OptionResult { IdentifierToken: null } missing:
                    return $"{Subject(path, verb)} needs {missing.Option.Name} {missing.Option.HelpName}.";
                case OptionResult { Tokens.Count: 0 } empty:
                    return $"'{empty.Option.Name}' needs a value ({empty.Option.HelpName}).";
                case OptionResult { Tokens.Count: > 1, Option.Arity.MaximumNumberOfValues: 1 } twice:
                    return $"'{twice.Option.Name}' is given more than once.";
                case ArgumentResult { Tokens.Count: 0 } argument:
                    return $"{Subject(path, verb)} needs {argument.Argument.Name} ({path} --help).";
                case CommandResult { Command.Subcommands.Count: > 0 } group when group.Command.Action is null:
                    return $"{Subject(path, verb)} needs one of: {Alternatives([.. group.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)])} ({path} --help).";
                default:
                    return error.Message.ReplaceLineEndings(" ");
            }
        }

        return null;
    }

    private static string Subject(string path, string verb) => verb.Length > 0 ? verb : path;

    private static string PathOf(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Insert(0, c.Command.Name);
            }
        }

        return string.Join(' ', names);
    }

    private static bool LooksLikeOption(string word) =>
        word.Length > 1 && word[0] == '-' && !double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static bool Adjacent(IReadOnlyList<string> args, string first, string second)
    {
        for (var i = 0; i + 1 < args.Count && args[i] != "--"; i++)
        {
            if (args[i] == first && args[i + 1] == second)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The option of the tree with this name or alias (the same name means the same kind of value).</summary>
    private Option? OptionNamed(string name)
    {
        Option? Find(Command command) =>
            command.Options.FirstOrDefault(o => o.Name == name || o.Aliases.Contains(name))
            ?? command.Subcommands.Select(Find).FirstOrDefault(o => o is not null);
        return Find(Root);
    }

    /// <summary>
    /// The other commands of the tree that take the option <paramref name="name"/>, by their names under the root,
    /// those of one group together: "ente show", "billing preview/run/close".
    /// </summary>
    private List<string> Elsewhere(Command here, string name)
    {
        var found = new List<(string Group, string Name)>();
        void Walk(Command command, string group)
        {
            if (command != here && command != Root && command.Options.Any(o => !o.Recursive && (o.Name == name || o.Aliases.Contains(name))))
            {
                found.Add((group, command.Name));
            }

            foreach (var sub in command.Subcommands)
            {
                Walk(sub, command == Root ? string.Empty : $"{group}{command.Name} ");
            }
        }

        Walk(Root, string.Empty);
        return [.. found.GroupBy(f => f.Group).Select(g => g.Key + string.Join('/', g.Select(f => f.Name)))];
    }

    /// <summary>An option of <paramref name="here"/> (or recursive above it) one or two keystrokes away from <paramref name="name"/>.</summary>
    private string? Similar(Command here, string name)
    {
        var names = here.Options.Select(o => o.Name).Concat(Ancestors(here).SelectMany(c => c.Options.Where(o => o.Recursive).Select(o => o.Name)));
        return names.Where(n => n.Length > 2).Select(n => (Name: n, Distance: Distance(n, name))).Where(x => x.Distance <= 2)
            .OrderBy(x => x.Distance).Select(x => x.Name).FirstOrDefault();
    }

    private IEnumerable<Command> Ancestors(Command command)
    {
        var path = new List<Command>();
        bool Find(Command at)
        {
            if (at == command)
            {
                return true;
            }

            foreach (var sub in at.Subcommands)
            {
                if (Find(sub))
                {
                    path.Add(at);
                    return true;
                }
            }

            return false;
        }

        Find(Root);
        return path;
    }

    /// <summary>Edit distance with transpositions: "--silo-prot" is one step from "--silo-port".</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}

/// <summary>A parsed command line: the library's result and, when the line is refused, the one-line reason.</summary>
public sealed record CommandLineInput(ParseResult Result, string? Error)
{
    /// <summary>The command the line names (the root when it names none).</summary>
    public Command Command => Result.CommandResult.Command;

    /// <summary>The line asks for help (<c>-h</c>, <c>--help</c>, <c>-?</c>) and is otherwise sound.</summary>
    public bool Help => Error is null && Result.Action is HelpAction;

    /// <summary>Writes the help of the command named, and returns 0.</summary>
    public int WriteHelp(TextWriter output) => Result.Invoke(new InvocationConfiguration { Output = output });
}

/// <summary>
/// Options that feed configuration keys (<c>--data-dir</c> is <c>EmbeddedPostgres:DataDirectory</c>), so that the
/// command line, <c>CST_</c> environment variables and appsettings.json are one configuration.
/// </summary>
public sealed class ConfigurationOptions
{
    private readonly List<(Option<string?> Option, string Key)> _options = [];

    /// <summary>
    /// The options that find the cluster, the same for the silo and every client: <c>--connection-string</c>,
    /// <c>--cluster-id</c>, <c>--service-id</c>, <c>--data-dir</c>, <c>--postgres-port</c>.
    /// </summary>
    public static ConfigurationOptions Connection(bool recursive)
    {
        var options = new ConfigurationOptions();
        options.Add(StrictCommandLine.ConnectionString("--connection-string", $"PostgreSQL connection string (ConnectionStrings:{CstConnectionSettings.ConnectionStringName}) without its password (environment or Passfile); unset: the embedded PostgreSQL"), "ConnectionStrings:" + CstConnectionSettings.ConnectionStringName);
        options.Add(StrictCommandLine.Text("--cluster-id", $"cluster id ({CstConnectionSettings.ClusterIdKey}), default {CstConnectionSettings.DefaultClusterId}", "ID"), CstConnectionSettings.ClusterIdKey);
        options.Add(StrictCommandLine.Text("--service-id", $"service id ({CstConnectionSettings.ServiceIdKey}), default {CstConnectionSettings.DefaultServiceId}; part of every stored key, never change it once data exists", "ID"), CstConnectionSettings.ServiceIdKey);
        options.Add(StrictCommandLine.Text("--data-dir", $"data directory of the embedded PostgreSQL ({CstConnectionSettings.EmbeddedDataDirectoryKey}), default {CstConnectionSettings.DefaultEmbeddedDataDirectory()}", "DIR"), CstConnectionSettings.EmbeddedDataDirectoryKey);
        options.Add(StrictCommandLine.Port("--postgres-port", $"port of the embedded PostgreSQL ({CstConnectionSettings.EmbeddedPortKey}), default {CstConnectionSettings.DefaultEmbeddedPort}"), CstConnectionSettings.EmbeddedPortKey);
        foreach (var (option, _) in options._options)
        {
            option.Recursive = recursive;
        }

        return options;
    }

    /// <summary>
    /// Adds <c>--cert</c>, <c>--key</c> and <c>--ca</c> (the <c>Tls:*</c> keys): a client's own certificate for a
    /// cluster with TLS; on this host's embedded default the operators' certificate is found without them.
    /// </summary>
    public ConfigurationOptions WithClientCertificate(bool recursive)
    {
        (string Name, string Description, string Key)[] tls =
        [
            ("--cert", $"PEM client certificate issued by the cluster's CA ({CstTlsSettings.CertificateFileKey}); the audit names its subject", CstTlsSettings.CertificateFileKey),
            ("--key", $"PEM private key of --cert ({CstTlsSettings.KeyFileKey})", CstTlsSettings.KeyFileKey),
            ("--ca", $"PEM certificate of the cluster's CA ({CstTlsSettings.CaFileKey})", CstTlsSettings.CaFileKey),
        ];
        foreach (var (name, description, key) in tls)
        {
            var option = StrictCommandLine.Text(name, description, "FILE");
            option.Recursive = recursive;
            Add(option, key);
        }

        return this;
    }

    public IReadOnlyList<Option<string?>> Options => [.. _options.Select(o => o.Option)];

    public void Add(Option<string?> option, string key) => _options.Add((option, key));

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var (option, _) in _options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The options given on the line, as configuration keys and values.</summary>
    public Dictionary<string, string?> Overrides(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (result.Action is HelpAction)
        {
            // Help clears the line's errors: a malformed value would only be found here, and help needs no configuration.
            return overrides;
        }

        foreach (var (option, key) in _options)
        {
            if (result.GetResult(option) is { Implicit: false } && result.GetValue(option) is { } value)
            {
                overrides[key] = value;
            }
        }

        return overrides;
    }
}
