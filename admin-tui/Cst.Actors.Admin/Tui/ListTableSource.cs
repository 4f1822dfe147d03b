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
