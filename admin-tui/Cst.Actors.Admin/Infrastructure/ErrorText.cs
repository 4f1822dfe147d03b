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
        return Clip(text);
    }

    /// <summary>
    /// As the operator reads it, in the language chosen: a refusal with a code the language knows from its code and
    /// values (<see cref="Tui.Texts.Refusals"/>); any other through the sentence rules (<see cref="Tui.Texts.ErrorRules"/>),
    /// which leave what they do not know in English.
    /// </summary>
    public static string Of(Exception e, Tui.Texts texts)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(texts);
        return Refusal(e) is { Code: { } code } d && texts.Refusal(code, d.Args) is { } said
            ? Clip(said)
            : texts.Error(Of(e));
    }

    /// <summary>The domain's refusal <paramref name="e"/> is or wraps; null for any other failure.</summary>
    public static CstDomainError? Refusal(Exception e) => e switch
    {
        CstDomainError d => d,
        AggregateException { InnerException: { } inner } => Refusal(inner),
        _ => null,
    };

    private static string Clip(string text)
    {
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length > 400 ? text[..400] + "..." : text;
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

    /// <summary>The domain's refusal code when a rule of the domain said why (<see cref="Domain.RefusalCode"/>).</summary>
    public string? Code { get; init; }

    /// <summary>The values of <see cref="Code"/>'s sentence.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>The domain's refusal <paramref name="e"/> as input the console refuses, keeping its code for the language.</summary>
    public static InputException Of(Domain.DomainException e, bool refusedByRule = false)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new InputException(e.Message) { Code = e.Code, Args = e.Args, RefusedByRule = refusedByRule };
    }

    /// <summary>The message in <paramref name="texts"/>' language when its code is known there; else as it is.</summary>
    public string In(Tui.Texts texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return texts.Refusal(Code, Args) ?? texts.Message(Message);
    }
}
