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

    /// <summary>The screen's keys, for the help line.</summary>
    public abstract string Help { get; }

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

    /// <summary>Runs an action's dialog, then the action; the result or the plain error goes to the message line.</summary>
    protected async Task RunFormAsync(ViewModels.ActionForm? form, Func<Task>? after = null)
    {
        if (form is null || App is null)
        {
            return;
        }

        var prepared = FormDialog.Ask(App, form);
        if (prepared is null)
        {
            Main.Say("Cancelled.");
            return;
        }

        await Main.DoAsync(async () =>
        {
            var result = await prepared.ExecuteAsync();
            Main.Say(result);
            await (after ?? RefreshAsync)();
        });
    }

    protected static string Fit(string text, int width) => text.Length > width ? text[..Math.Max(0, width - 1)] + "~" : text;

    protected static void Fire(Task task) => _ = task.ContinueWith(
        t => Console.Error.WriteLine(ErrorText.Of(t.Exception!)), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
