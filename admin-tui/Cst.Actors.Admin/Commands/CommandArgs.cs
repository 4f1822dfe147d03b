using System.CommandLine;
using Cst.Actors.Connection;

namespace Cst.Actors.Admin.Commands;

/// <summary>
/// A command line of <c>cst</c> as parsed against the command tree of <see cref="CommandMode"/>: the verb it names,
/// its values, or the one-line reason it is refused. <c>--json</c> and the connection options are accepted by every
/// verb; the connection options map onto the configuration keys the silo reads.
/// </summary>
public sealed class CommandArgs
{
    /// <summary><c>--json</c>: output for scripts; an error is then also a JSON object on stdout.</summary>
    public static Option<bool> JsonOption() => new("--json")
    {
        Description = "output for scripts: JSON on stdout; an error also as {\"error\": \"...\", \"exitCode\": N} on stdout",
        Recursive = true,
    };

    private readonly IReadOnlyList<string> _args;
    private readonly Option<bool> _json;
    private readonly ConfigurationOptions _connection;

    internal CommandArgs(CommandLineInput input, IReadOnlyList<string> args, Option<bool> json, ConfigurationOptions connection)
    {
        Input = input;
        _args = args;
        _json = json;
        _connection = connection;
    }

    public CommandLineInput Input { get; }

    public ParseResult Result => Input.Result;

    /// <summary>Why the line is refused (one line naming the offending word), or null.</summary>
    public string? Error => Input.Error;

    /// <summary><c>--help</c> on the line (and nothing wrong with it).</summary>
    public bool Help => Input.Help;

    /// <summary>The command named: a verb, a verb group, or the root when no verb is given.</summary>
    public Command Command => Input.Command;

    /// <summary>No verb, no help, nothing refused: <c>cst</c> opens the console (with the connection options given).</summary>
    public bool OpensConsole => Error is null && !Help && Result.CommandResult.Parent is null;

    /// <summary>
    /// <c>--json</c> was given. Read from the words themselves when the line is refused, so that the refusal of a
    /// script's line is JSON too.
    /// </summary>
    public bool Json => Error is null
        ? Result.GetValue(_json)
        : _args.TakeWhile(a => a != "--").Any(a => a is "--json" or "--json=true");

    /// <summary>The connection options given, as configuration keys and values.</summary>
    public IReadOnlyDictionary<string, string?> ConfigurationOverrides() =>
        Error is null ? _connection.Overrides(Result) : new Dictionary<string, string?>();
}
