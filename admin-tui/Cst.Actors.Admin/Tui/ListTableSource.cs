using Terminal.Gui.Views;

namespace Cst.Actors.Admin.Tui;

/// <summary>
/// A table over a list the view model owns, without copying it: cells are read only for the rows drawn, so lists of
/// thousands of rows stay responsive.
/// </summary>
public sealed class ListTableSource<T>(IReadOnlyList<T> rows, params (string Name, Func<T, object?> Cell)[] columns) : ITableSource
{
    public IReadOnlyList<T> List { get; } = rows;

    public string[] ColumnNames { get; } = [.. columns.Select(c => c.Name)];

    public int Columns => columns.Length;

    public int Rows => List.Count;

    public object this[int row, int col] => columns[col].Cell(List[row]) ?? string.Empty;
}

/// <summary>
/// A column of a table as the console sizes it at 80 columns: at most <paramref name="Width"/> characters (0: the
/// rest of the line), right-aligned for amounts and counts. A longer value is cut; i shows the row whole.
/// </summary>
public sealed record Col<T>(string Name, Func<T, object?> Cell, int Width = 0, bool Right = false);

/// <summary>Binds a table to rows with sized columns.</summary>
public static class TableColumns
{
    /// <summary>The columns inside the window's borders at 80x24.</summary>
    public const int Screen = 78;

    public static void Bind<T>(Terminal.Gui.Views.TableView table, IReadOnlyList<T> rows, params Col<T>[] columns)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(columns);
        table.Table = new ListTableSource<T>(rows, [.. columns.Select(c => (c.Name, c.Cell))]);
        var width = table.Frame.Width > 0 ? table.Frame.Width : Screen;
        // The lines between and around the columns take one each.
        var fixedWidths = columns.Where(c => c.Width > 0).Sum(c => c.Width);
        var rest = Math.Max(6, width - (columns.Length + 1) - fixedWidths);
        for (var i = 0; i < columns.Length; i++)
        {
            var style = table.Style.GetOrCreateColumnStyle(i);
            style.MaxWidth = columns[i].Width > 0 ? columns[i].Width : rest;
            style.Alignment = columns[i].Right ? Terminal.Gui.ViewBase.Alignment.End : Terminal.Gui.ViewBase.Alignment.Start;
        }
    }

    /// <summary>Each column's name and the row's whole value, for the row's detail view.</summary>
    public static IReadOnlyList<string> Whole(Terminal.Gui.Views.ITableSource table, int row)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (row < 0 || row >= table.Rows)
        {
            return [];
        }

        var names = table.ColumnNames;
        var width = Math.Min(20, names.Max(n => n.Length) + 1);
        return [.. Enumerable.Range(0, table.Columns).Select(c => $"{(names[c] + ":").PadRight(width)} {table[row, c]}")];
    }
}
