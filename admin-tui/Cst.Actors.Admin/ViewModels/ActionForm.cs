using Cst.Actors.Admin.Infrastructure;

namespace Cst.Actors.Admin.ViewModels;

/// <summary>
/// A field of an action's form: its label and what it holds at first; with <paramref name="Choices"/> the operator
/// picks one of them from a list instead of typing (the value is the chosen one's <see cref="FormChoice.Value"/>).
/// </summary>
/// <paramref name="Open"/>: the list only helps (the catalogue's tiers, services); in command mode a value not given is
/// <paramref name="Initial"/> and one not listed goes to the domain, whose refusal names it (exit 1, as before).
public sealed record FormField(string Label, string Initial = "", IReadOnlyList<FormChoice>? Choices = null, bool Open = false);

/// <summary>One entry of a pick-list: the value the action receives, and the text the operator reads.</summary>
public sealed record FormChoice(string Value, string Text);

/// <summary>
/// An action checked and ready: the sentence the operator confirms, and the call that does it;
/// <paramref name="Irreversible"/> when it cannot be undone (the confirmation's default is then No).
/// </summary>
public sealed record PreparedAction(string Confirmation, Func<Task<string>> ExecuteAsync, bool Irreversible = false);

/// <summary>
/// An operator action as a form: fields, and how the typed values become a confirmed call. <see cref="Prepare"/>
/// throws <see cref="InputException"/> when a value is malformed (the dialog stays open and shows the message); the
/// call itself returns the line shown after success, or throws the grain's plain domain error.
/// </summary>
public sealed class ActionForm(string title, IReadOnlyList<FormField> fields, Func<IReadOnlyList<string>, PreparedAction> prepare)
{
    public string Title { get; } = title;

    public IReadOnlyList<FormField> Fields { get; } = fields;

    public PreparedAction Prepare(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != Fields.Count)
        {
            throw new InputException($"{Title}: expected {Fields.Count} values, got {values.Count}.");
        }

        return prepare(values);
    }
}
