using Cst.Actors.Admin.Infrastructure;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cst.Actors.Admin.Tui;

/// <summary>One screen of the console, shown in the main window's body. Holds no business rule: it draws a view model.</summary>
public abstract class Screen : View
{
    protected Screen(MainWindow main)
    {
        Main = main;
        Width = Dim.Fill();
        Height = Dim.Fill();
        CanFocus = true;
    }

    protected MainWindow Main { get; }

    /// <summary>The console's language.</summary>
    protected Texts T => Main.Texts;

    /// <summary>The screen's name, for the help window and the reload message.</summary>
    public abstract string Name { get; }

    /// <summary>The screen's keys, for the help line (one line of at most 78 columns).</summary>
    public abstract string Help { get; }

    /// <summary>The screen's keys in full, one per line, for F1 / ?.</summary>
    public virtual IReadOnlyList<string> HelpLines => [Help];

    /// <summary>Reloads from the cluster and redraws.</summary>
    public abstract Task RefreshAsync();

    /// <summary>A key the focused view left unhandled; true when the screen used it.</summary>
    public virtual bool OnScreenKey(Key key) => false;

    protected static TableView Table(ITableSource? source = null)
    {
        var table = new TableView
        {
            X = 0,
            Width = Dim.Fill(),
            FullRowSelect = true,
            MultiSelect = false,
        };
        if (source is not null)
        {
            table.Table = source;
        }

        table.Style.AlwaysShowHeaders = true;
        table.Style.ShowHorizontalBottomLine = false;
        table.Style.ExpandLastColumn = true;
        return table;
    }

    protected static int SelectedRow(TableView table) => table.Value?.SelectedCell.Y ?? -1;

    /// <summary>i: the selected row whole, a column per line (the table cuts what does not fit 80 columns).</summary>
    protected void ShowRow(ITableSource table, int row, IReadOnlyList<string>? more = null)
    {
        if (App is not null && TableColumns.Whole(table, row) is { Count: > 0 } lines)
        {
            Question.Show(App, Name, [.. lines, .. more ?? []], T.Close);
        }
    }

    /// <summary>Runs an action's dialog, then the action; the result or the plain error goes to the message line.</summary>
    protected async Task RunFormAsync(ViewModels.ActionForm? form, Func<Task>? after = null)
    {
        if (form is null || App is null)
        {
            return;
        }

        var prepared = FormDialog.Ask(App, form, T);
        if (prepared is null)
        {
            Main.Say(T.Cancelled);
            return;
        }

        await Main.DoAsync(async () =>
        {
            var result = await prepared.ExecuteAsync();
            Main.Say(T.Message(result));
            await (after ?? RefreshAsync)();
        });
    }

    /// <summary>
    /// Draws the selection in reverse video on a terminal without colours (NO_COLOR, vt100), where the colour
    /// schemes would leave the selected row looking like any other.
    /// </summary>
    public static void UseMonochrome(View view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var plain = new Terminal.Gui.Drawing.Attribute(Terminal.Gui.Drawing.Color.White, Terminal.Gui.Drawing.Color.Black, Terminal.Gui.Drawing.TextStyle.None);
        var reverse = new Terminal.Gui.Drawing.Attribute(Terminal.Gui.Drawing.Color.White, Terminal.Gui.Drawing.Color.Black, Terminal.Gui.Drawing.TextStyle.Reverse);
        var scheme = new Terminal.Gui.Drawing.Scheme(plain)
        {
            Focus = reverse,
            HotFocus = reverse,
            Active = reverse,
            HotActive = reverse,
            Highlight = reverse,
            Editable = plain,
            ReadOnly = plain,
        };
        foreach (var table in Descendants(view).OfType<TableView>())
        {
            table.SetScheme(scheme);
        }
    }

    private static IEnumerable<View> Descendants(View view) => view.SubViews.SelectMany(v => Descendants(v).Prepend(v));

    protected static string Fit(string text, int width) => text.Length > width ? text[..Math.Max(0, width - 1)] + "~" : text;

    protected static void Fire(Task task) => _ = task.ContinueWith(
        t => Console.Error.WriteLine(ErrorText.Of(t.Exception!)), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
