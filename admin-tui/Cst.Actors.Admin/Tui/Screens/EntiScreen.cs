using System.Globalization;
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
        _title = new Label { X = 0, Y = 0, Text = "Enti" };
        var label = new Label { X = 0, Y = 1, Text = "Search:" };
        _search = new TextField { X = 8, Y = 1, Width = Dim.Fill() };
        _search.TextChanged += (_, _) =>
        {
            _vm.SetFilter(_search.Text ?? string.Empty);
            Bind();
        };
        _table = Table();
        _table.Y = 2;
        _table.Height = Dim.Fill();
        Add(_title, label, _search, _table);
    }

    public override string Help => "/ search  Enter open ente  a add  e edit ente  Tab search/list";

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
        _title.Text = $"Enti: {_vm.Rows.Count} shown" + (_vm.Filter.Length > 0 ? $" matching '{_vm.Filter}'" : string.Empty);
        _table.Table = new ListTableSource<EnteSummary>(_vm.Rows,
            ("Code", e => e.EnteId),
            ("Name", e => Fit(e.Name + (e.WithdrawnOn is null ? string.Empty : " (withdrawn)"), 30)),
            ("Population", e => e.Population?.ToString("#,##0", CultureInfo.InvariantCulture) ?? "-"),
            ("Active", e => e.ActiveObjects),
            ($"Estimate {_vm.Year}", e => e.Estimate is { } m ? Input.Euro(m) : "n/a"));
        _table.Update();
    }
}
