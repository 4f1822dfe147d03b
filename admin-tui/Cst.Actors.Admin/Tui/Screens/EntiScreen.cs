using Cst.Actors.Admin.ViewModels;
using Cst.Actors.Contracts.Admin;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cst.Actors.Admin.Tui.Screens;

/// <summary>The enti: a searchable list with population, active services and this year's estimate.</summary>
public sealed class EntiScreen : Screen
{
    private readonly EntiViewModel _vm;
    private readonly TextField _search;
    private readonly TableView _table;
    private readonly Label _title;

    public EntiScreen(MainWindow main)
        : base(main)
    {
        _vm = new EntiViewModel(main.Session);
        _title = new Label { X = 0, Y = 0, Text = T.EntiName };
        var label = new Label { X = 0, Y = 1, Text = T.Search };
        _search = new TextField { X = Pos.Right(label) + 1, Y = 1, Width = Dim.Fill() };
        _search.TextChanged += (_, _) =>
        {
            // The cluster searches: each keystroke asks for the first page of what matches.
            _vm.SetFilter(_search.Text ?? string.Empty);
            _ = Main.DoAsync(async () =>
            {
                await _vm.LoadAsync();
                Bind();
            });
        };
        _table = Table();
        _table.Y = 2;
        _table.Height = Dim.Fill();
        Add(_title, label, _search, _table);
    }

    public override string Name => T.EntiName;

    public override string Help => T.EntiKeys;

    public override IReadOnlyList<string> HelpLines => T.EntiHelp;

    public override async Task RefreshAsync()
    {
        await _vm.LoadAsync();
        Bind();
        _table.SetFocus();
    }

    public override bool OnScreenKey(Key key)
    {
        if (_search.HasFocus)
        {
            if (key == Key.Enter || key == Key.CursorDown)
            {
                _table.SetFocus();
                return true;
            }

            return false;
        }

        if (key == Key.Enter)
        {
            var row = SelectedRow(_table);
            if (row >= 0 && row < _vm.Rows.Count)
            {
                Main.Show(new EnteDetailScreen(Main, _vm.Rows[row].EnteId), push: true);
            }

            return true;
        }

        if (key.AsRune.Value == '/')
        {
            _search.SetFocus();
            return true;
        }

        if (key.AsRune.Value is ']' or '[')
        {
            _ = Main.DoAsync(async () =>
            {
                await (key.AsRune.Value == ']' ? _vm.NextPageAsync() : _vm.PreviousPageAsync());
                Bind();
                _table.SetFocus();
            });
            return true;
        }

        if (key == Key.E)
        {
            var selected = SelectedRow(_table);
            if (selected >= 0 && selected < _vm.Rows.Count)
            {
                var enteId = _vm.Rows[selected].EnteId;
                _ = Main.DoAsync(async () => await RunFormAsync(await _vm.EditEnteFormAsync(enteId)));
            }

            return true;
        }

        if (key == Key.A)
        {
            _ = Main.DoAsync(async () => await RunFormAsync(_vm.AddEnteForm(await Main.Session.TodayAsync())));
            return true;
        }

        return false;
    }

    private void Bind()
    {
        _title.Text = T.EntiShown(_vm.Total, _vm.Filter)
            + (_vm.Total > _vm.Rows.Count ? T.PageOf(_vm.Offset + 1, _vm.Offset + _vm.Rows.Count, _vm.Total) : string.Empty);
        // Counts and amounts right-aligned, as a spreadsheet shows them.
        TableColumns.Bind(_table, _vm.Rows,
            new(T.ColCode, e => e.EnteId, 6),
            new(T.ColName, e => e.Name + (e.WithdrawnOn is null ? string.Empty : T.Withdrawn), 36),
            new(T.ColPopulation, e => e.Population is { } p ? T.Number(p) : "-", 9, Right: true),
            new(T.ColActive, e => e.ActiveObjects, 6, Right: true),
            new(T.ColEstimate(_vm.Year), e => e.Estimate is { } m ? T.Money(m) : T.NotAvailable, 0, Right: true));
        _table.Update();
    }
}
