using Cst.Actors.Connection;
using Cst.Actors.Contracts.Errors;

namespace Cst.Actors.Admin.Infrastructure;

/// <summary>Exceptions as the operator reads them: one plain line, never a stack trace.</summary>
public static class ErrorText
{
    public static string Of(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var text = e switch
        {
            CstDomainError d => d.Message,
            CstInfrastructureError i => "infrastructure error: " + i.Message,
            AdminCallException or CstConnectionException or InputException => e.Message,
            TimeoutException => "the cluster did not answer in time",
            AggregateException { InnerException: { } inner } => Of(inner),
            _ => $"{e.GetType().Name}: {e.Message}",
        };
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length > 400 ? text[..400] + "..." : text;
    }

    /// <summary>
    /// As the console shows it, in its language: the grains' refusals carry an English sentence and no code with
    /// arguments, so the common sentences are rewritten here (<see cref="Tui.Texts.ErrorRules"/>); others stay English.
    /// </summary>
    public static string Of(Exception e, Tui.Texts texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return texts.Error(Of(e));
    }
}

/// <summary>Input the console itself refuses (a malformed date, an unknown verb): the message says which and why.</summary>
public sealed class InputException(string message) : Exception(message)
{
    /// <summary>
    /// Already written on stdout as part of a JSON answer (an import file's report, which then carries the error and
    /// exit code itself), so that stdout stays one JSON value.
    /// </summary>
    public bool InJsonOutput { get; init; }

    /// <summary>
    /// The value is well formed but a rule of the domain refuses it (a reported fact dated after today): the dialog
    /// shows it as any other, command mode exits 1 as for the grains' refusals.
    /// </summary>
    public bool RefusedByRule { get; init; }

    /// <summary>The values given are those already recorded: nothing to do (command mode says so and exits 0).</summary>
    public bool NothingToChange { get; init; }
}
