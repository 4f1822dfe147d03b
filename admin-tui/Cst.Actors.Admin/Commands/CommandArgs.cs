using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Connection;

namespace Cst.Actors.Admin.Commands;

/// <summary>
/// A command line: the words (verb and arguments) and the <c>--name value</c> options, plus the switches
/// <c>--json</c> and <c>--recompute</c>. Connection options map onto the configuration keys the silo reads.
/// </summary>
public sealed class CommandArgs
{
    /// <summary>Options that take a value; the connection ones become configuration keys.</summary>
    public static readonly IReadOnlyDictionary<string, string?> ValueOptions = new Dictionary<string, string?>
    {
        ["--connection-string"] = "ConnectionStrings:" + CstConnectionSettings.ConnectionStringName,
        ["--cluster-id"] = CstConnectionSettings.ClusterIdKey,
        ["--service-id"] = CstConnectionSettings.ServiceIdKey,
        ["--data-dir"] = CstConnectionSettings.EmbeddedDataDirectoryKey,
        ["--postgres-port"] = CstConnectionSettings.EmbeddedPortKey,
        ["--days"] = null,
        ["--year"] = null,
        ["--format"] = null,
        ["--out"] = null,
        ["--ente"] = null,
        ["--filter"] = null,
        ["--search"] = null,
        ["--max"] = null,
        ["--mode"] = null,
        ["--revision"] = null,
        ["--version"] = null,
        ["--act"] = null,
    };

    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public List<string> Words { get; } = [];

    public bool Json { get; private set; }

    public bool Help { get; private set; }

    /// <summary><c>--recompute</c>: compute a completed final revision again (billing run).</summary>
    public bool Recompute { get; private set; }

    public static CommandArgs Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var parsed = new CommandArgs();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--json")
            {
                parsed.Json = true;
            }
            else if (arg is "--recompute")
            {
                parsed.Recompute = true;
            }
            else if (arg is "-h" or "--help" or "-?")
            {
                parsed.Help = true;
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var (name, inline) = arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
                if (!ValueOptions.ContainsKey(name))
                {
                    throw new InputException($"unknown option '{name}' (cst --help lists them).");
                }

                var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new InputException($"{name} needs a value."));
                parsed._options[name] = value;
            }
            else
            {
                parsed.Words.Add(arg);
            }
        }

        return parsed;
    }

    public string? Option(string name) => _options.TryGetValue(name, out var v) ? v : null;

    /// <summary>The connection options as configuration overrides.</summary>
    public IReadOnlyDictionary<string, string?> ConfigurationOverrides() =>
        _options.Where(o => ValueOptions[o.Key] is not null).ToDictionary(o => ValueOptions[o.Key]!, o => (string?)o.Value);
}
