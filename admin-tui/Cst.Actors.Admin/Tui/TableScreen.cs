using Terminal.Gui.Input;
using Terminal.Gui.Views;

namespace Cst.Actors.Admin.Tui;

/// <summary>
/// A screen of one table under a title line (deadlines, notices, audit, catalogue, outbox): the columns sized to 80
/// columns, i (and Enter, where the screen gives it no other use) shows the selected row whole.
/// </summary>
public abstract class TableScreen<TRow> : Screen
{
    private readonly Label _title = new() { X = 0, Y = 0, Width = Terminal.Gui.ViewBase.Dim.Fill(), Text = string.Empty };

    protected TableScreen(MainWindow main)
        : base(main)
    {
        Grid.Y = 1;
        Grid.Height = Terminal.Gui.ViewBase.Dim.Fill();
        Add(_title, Grid);
    }

    /// <summary>The screen's table.</summary>
    protected TableView Grid { get; } = Table();

    /// <summary>The rows shown.</summary>
    protected abstract IReadOnlyList<TRow> Rows { get; }

    /// <summary>The title line over the table.</summary>
    protected abstract string TitleText { get; }

    /// <summary>The columns, in this screen's language.</summary>
    protected abstract Col<TRow>[] Columns { get; }

    /// <summary>Lines the i view adds after the row's columns (a deadline's plain-language description).</summary>
    protected virtual IReadOnlyList<string> More(TRow row) => [];

    /// <summary>The selected row, if any.</summary>
    protected TRow? Selected => SelectedRow(Grid) is var i && i >= 0 && i < Rows.Count ? Rows[i] : default;

    /// <summary>Redraws the title and the table from the view model.</summary>
    protected void Bind()
    {
        _title.Text = TitleText;
        TableColumns.Bind(Grid, Rows, Columns);
        Grid.Update();
        Grid.SetFocus();
    }

    /// <summary>Runs a form (a filter, a window) and redraws after it.</summary>
    protected bool Form(ViewModels.ActionForm form)
    {
        _ = Main.DoAsync(() => RunFormAsync(form, () =>
        {
            Bind();
            return Task.CompletedTask;
        }));
        return true;
    }

    public override bool OnScreenKey(Key key)
    {
        if (key.AsRune.Value == 'i' && Grid.Table is { } table)
        {
            var i = SelectedRow(Grid);
            ShowRow(table, i, i >= 0 && i < Rows.Count ? More(Rows[i]) : []);
            return true;
        }

        return false;
    }
}
