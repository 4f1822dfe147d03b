using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Admin.ViewModels;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cst.Actors.Admin.Tui;

/// <summary>
/// The dialog of an action: one text field per form field (a pick-list for a field with choices), Cancel and OK
/// (Enter). A malformed value keeps the dialog open with the message in red under the fields; Esc cancels.
/// </summary>
public sealed partial class FormDialog : Dialog
{
    private readonly Texts _texts;

    private readonly ActionForm _form;
    private readonly List<Func<string>> _values = [];
    private readonly Label _error;
    private readonly Button _cancel;

    public FormDialog(ActionForm form, Texts? texts = null)
    {
        texts ??= Texts.English;
        _texts = texts;
        _form = form;
        Title = texts.Phrase(form.Title);
        Width = Dim.Percent(90);
        var labels = form.Fields.Select(f => texts.Phrase(f.Label)).ToList();
        // A label longer than its column is cut, never drawn over its field; one blank column between them.
        var labelWidth = Math.Min(LabelColumns, labels.Max(l => l.Length) + 1);
        var index = 0;
        View? previous = null;
        foreach (var field in form.Fields)
        {
            var label = new Label { Text = labels[index++] + ":", X = 1, Y = previous is null ? 1 : Pos.Bottom(previous), Width = labelWidth + 1 };
            if (field.Choices is { Count: > 0 } choices)
            {
                // A short list the operator moves through with the arrows; it keeps the dialog within 24 rows.
                var list = new ListView { X = labelWidth + 3, Y = label.Y, Width = Dim.Fill(2), Height = Math.Min(choices.Count, 4) };
                list.SetSource(new System.Collections.ObjectModel.ObservableCollection<string>(choices.Select(c => Choice(texts, c))));
                // The current value selected; none when the form names none (a reason the operator must choose).
                var initial = choices.Select((c, i) => (c, i)).Where(x => x.c.Value == field.Initial).Select(x => (int?)x.i).FirstOrDefault();
                list.SelectedItem = initial;
                Add(label, list);
                _values.Add(() => list.SelectedItem is { } chosen && chosen >= 0 && chosen < choices.Count ? choices[chosen].Value : string.Empty);
                previous = list;
                continue;
            }

            // A date offered as the console writes dates (Input.Date reads both forms).
            var shown = IsoDate().IsMatch(field.Initial) ? texts.Date(NodaTime.Text.LocalDatePattern.Iso.Parse(field.Initial).Value) : field.Initial;
            var text = new TextField { Text = shown, X = labelWidth + 3, Y = label.Y, Width = Dim.Fill(2) };
            // Reached by Tab (or first), the value is selected: typing replaces it, as in a spreadsheet's cell;
            // without this, typing a date after "01/12/2026" gave "01/12/202630/11/2026".
            text.HasFocusChanged += (_, e) =>
            {
                if (e.NewValue)
                {
                    text.SelectAll();
                }
            };
            Add(label, text);
            _values.Add(() => text.Text ?? string.Empty);
            previous = label;
        }

        _error = new Label { Text = string.Empty, X = 1, Y = Pos.Bottom(previous!) + 1, Width = Dim.Fill(2), Height = 2 };
        Add(_error);
        _cancel = new Button { Text = texts.Cancel };
        AddButton(_cancel);
        AddButton(new Button { Text = texts.Ok });
    }

    /// <summary>The widest label column: a field keeps at least 30 of the dialog's 70 columns.</summary>
    public const int LabelColumns = 36;

    /// <summary>The checked action, once OK was pressed with valid values.</summary>
    public PreparedAction? Prepared { get; private set; }

    /// <summary>The message shown for the last malformed value, if any.</summary>
    public string ErrorText => _error.Text;

    protected override bool OnAccepting(CommandEventArgs args)
    {
        if (args.Context?.Source is { } source && source.TryGetTarget(out var view) && ReferenceEquals(view, _cancel))
        {
            return base.OnAccepting(args);
        }

        try
        {
            Prepared = _form.Prepare([.. _values.Select(v => v())]);
        }
        catch (InputException e)
        {
            _error.Text = e.In(_texts);
            Prepared = null;
            return true;
        }

        return base.OnAccepting(args);
    }

    /// <summary>A pick-list entry in the console's language: an enum's value by its word (smarrito), else its phrase.</summary>
    public static string Choice(Texts texts, FormChoice choice)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(choice);
        return choice.Text == choice.Value && texts.Words.TryGetValue(choice.Value, out var word) ? word : texts.Phrase(choice.Text);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial System.Text.RegularExpressions.Regex IsoDate();

    /// <summary>
    /// Shows the dialog, then the confirmation; the action to run, or null when cancelled. The default button (the
    /// last one, Enter) is Yes, but No for an action that cannot be undone.
    /// </summary>
    public static PreparedAction? Ask(IApplication app, ActionForm form, Texts texts)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(texts);
        using var dialog = new FormDialog(form, texts);
        using (MainWindow.Asking(app))
        {
            app.Run(dialog);
        }

        if (dialog.Prepared is not { } prepared || dialog.Result is null || dialog.Canceled)
        {
            return null;
        }

        if (prepared.Confirmation.Length == 0)
        {
            return prepared;
        }

        return Confirm(app, texts, texts.Message(prepared.Confirmation), prepared.Irreversible) ? prepared : null;
    }

    /// <summary>Asks Yes or No; for an irreversible step No is the default, so Enter alone never does it.</summary>
    public static bool Confirm(IApplication app, Texts texts, string question, bool irreversible)
    {
        ArgumentNullException.ThrowIfNull(texts);
        using var asking = MainWindow.Asking(app);
        // No first, Yes second; the focus (and Enter) on No for what cannot be undone, on Yes otherwise.
        return Question.Ask(app, texts.Confirm, question, irreversible ? 0 : 1, texts.No, texts.Yes) == 1;
    }
}
