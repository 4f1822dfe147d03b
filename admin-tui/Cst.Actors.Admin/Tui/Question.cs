using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cst.Actors.Admin.Tui;

/// <summary>
/// The console's message boxes: a question whose Enter presses the button that has the focus (MessageBox's always
/// pressed its last button, so "No" focused answered "Sì"), and a text read left-aligned line by line (MessageBox
/// centred each wrapped line of a message, a list of messages or keys read ragged).
/// </summary>
public static class Question
{
    /// <summary>Widest text line of a box: inside the 80 columns with the dialog's borders and margins.</summary>
    public const int TextWidth = 74;

    /// <summary>
    /// Asks <paramref name="message"/> with <paramref name="buttons"/>; the focus starts on
    /// <paramref name="focused"/>, and Enter presses whichever button has the focus (the default mark follows it).
    /// The index of the pressed button, or null on Esc.
    /// </summary>
    public static int? Ask(IApplication app, string title, string message, int focused, params string[] buttons)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(buttons);
        using var dialog = Box(title, message.Split('\n').SelectMany(l => MainWindow.Wrap(l, TextWidth)).ToList());
        var added = buttons.Select(b => new Button { Text = b }).ToList();
        foreach (var button in added)
        {
            dialog.AddButton(button);
        }

        void Default(Button chosen)
        {
            foreach (var b in added)
            {
                b.IsDefault = ReferenceEquals(b, chosen);
            }
        }

        foreach (var button in added)
        {
            button.HasFocusChanged += (_, e) =>
            {
                if (e.NewValue)
                {
                    Default(button);
                }
            };
        }

        var start = added[Math.Clamp(focused, 0, added.Count - 1)];
        Default(start);
        dialog.Initialized += (_, _) => start.SetFocus();
        app.Run(dialog);
        if (dialog.Canceled || dialog.Result is not { } pressed)
        {
            return null;
        }

        return pressed;
    }

    /// <summary>Shows lines of text left-aligned (each already at most <see cref="TextWidth"/> columns) with one button.</summary>
    public static void Show(IApplication app, string title, IReadOnlyList<string> lines, string close)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(lines);
        using var dialog = Box(title, [.. lines.SelectMany(l => l.Length == 0 ? [string.Empty] : MainWindow.Wrap(l, TextWidth))]);
        dialog.AddButton(new Button { Text = close });
        app.Run(dialog);
    }

    private static Dialog Box(string title, IReadOnlyList<string> lines)
    {
        // At most the rows of an 80x24 screen less the borders, the title and the buttons.
        var shown = lines.Take(17).ToList();
        var width = Math.Max(title.Length + 4, shown.Count == 0 ? 20 : shown.Max(l => l.Length));
        var dialog = new Dialog { Title = title };
        dialog.Add(new Label
        {
            X = 1,
            Y = 0,
            Width = width,
            Height = shown.Count,
            Text = string.Join("\n", shown),
            TextAlignment = Terminal.Gui.ViewBase.Alignment.Start,
        });
        return dialog;
    }
}
