using Cst.Actors.Admin.ViewModels;
using Cst.Actors.Contracts.Admin;
using Terminal.Gui.Input;
using Terminal.Gui.Views;

namespace Cst.Actors.Admin.Tui.Screens;

/// <summary>Deadlines of the next N days across all enti; Enter opens the ente of the selected row.</summary>
public sealed class DeadlinesScreen : Screen
{
    private readonly DeadlinesViewModel _vm;
    private readonly Label _title = new() { X = 0, Y = 0, Text = "Deadlines" };
    private readonly TableView _table = Table();

    public DeadlinesScreen(MainWindow main)
        : base(main)
    {
        _vm = new DeadlinesViewModel(main.Session);
        _table.Y = 1;
        _table.Height = Terminal.Gui.ViewBase.Dim.Fill();
        Add(_title, _table);
    }

    public override string Help => "n days ahead  / filter (ente, object, kind)  Enter open ente";

    public override async Task RefreshAsync()
    {
        await _vm.LoadAsync();
        Bind();
    }

    public override bool OnScreenKey(Key key)
    {
        var shown = _vm.Shown;
        if (key == Key.Enter && SelectedRow(_table) is var row && row >= 0 && row < shown.Count)
        {
            Main.Show(new EnteDetailScreen(Main, shown[row].EnteId), push: true);
            return true;
        }

        if (key.AsRune.Value is 'n' or '/')
        {
            _ = Main.DoAsync(() => RunFormAsync(key.AsRune.Value == 'n' ? _vm.DaysForm() : _vm.FilterForm(), () =>
            {
                Bind();
                return Task.CompletedTask;
            }));
            return true;
        }

        return false;
    }

    private void Bind()
    {
        _title.Text = _vm.Title;
        _table.Table = new ListTableSource<UpcomingDeadline>(_vm.Shown,
            ("Due", d => Input.Date(d.Due)), ("Kind", d => d.Kind.ToString()), ("Ente", d => Fit(d.EnteName, 20)), ("Object", d => Fit(d.Object, 30)));
        _table.Update();
        _table.SetFocus();
    }
}

/// <summary>The latest notices produced by deadlines.</summary>
public sealed class NoticesScreen : Screen
{
    private readonly NoticesViewModel _vm;
    private readonly Label _title = new() { X = 0, Y = 0, Text = "Notices" };
    private readonly TableView _table = Table();

    public NoticesScreen(MainWindow main)
        : base(main)
    {
        _vm = new NoticesViewModel(main.Session);
        _table.Y = 1;
        _table.Height = Terminal.Gui.ViewBase.Dim.Fill();
        Add(_title, _table);
    }

    public override string Help => "Enter open ente";

    public override async Task RefreshAsync()
    {
        await _vm.LoadAsync();
        _title.Text = $"Notices (latest {_vm.Rows.Count}, newest due date first)";
        _table.Table = new ListTableSource<NoticeRow>(_vm.Rows,
            ("Due", n => Input.Date(n.Due)), ("Kind", n => n.Kind), ("Ente", n => n.EnteId), ("Object", n => Fit(n.Object, 26)), ("Message", n => n.Message));
        _table.Update();
        _table.SetFocus();
    }

    public override bool OnScreenKey(Key key)
    {
        if (key == Key.Enter && SelectedRow(_table) is var row && row >= 0 && row < _vm.Rows.Count)
        {
            Main.Show(new EnteDetailScreen(Main, _vm.Rows[row].EnteId), push: true);
            return true;
        }

        return false;
    }
}

/// <summary>The audit log, newest first: who changed what, when.</summary>
public sealed class AuditScreen : Screen
{
    private readonly AuditViewModel _vm;
    private readonly Label _title = new() { X = 0, Y = 0, Text = "Audit" };
    private readonly TableView _table = Table();

    public AuditScreen(MainWindow main)
        : base(main)
    {
        _vm = new AuditViewModel(main.Session);
        _table.Y = 1;
        _table.Height = Terminal.Gui.ViewBase.Dim.Fill();
        Add(_title, _table);
    }

    public override string Help => "f filter by object or operator";

    public override async Task RefreshAsync()
    {
        await _vm.LoadAsync();
        Bind();
    }

    public override bool OnScreenKey(Key key)
    {
        if (key.AsRune.Value == 'f')
        {
            _ = Main.DoAsync(() => RunFormAsync(_vm.FilterForm(), () =>
            {
                Bind();
                return Task.CompletedTask;
            }));
            return true;
        }

        return false;
    }

    private void Bind()
    {
        _title.Text = $"Audit log (latest {_vm.Rows.Count})" + (string.IsNullOrEmpty(_vm.Filter) ? string.Empty : $" matching '{_vm.Filter}'");
        _table.Table = new ListTableSource<AuditRow>(_vm.Rows,
            ("At (UTC)", a => a.At.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)),
            ("Operator", a => Fit(a.Operator, 10)), ("Object", a => Fit(a.Object, 28)), ("Action", a => a.Action), ("After", a => a.After ?? string.Empty));
        _table.Update();
        _table.SetFocus();
    }
}

/// <summary>The listini with their versions and tariffs.</summary>
public sealed class CatalogueScreen : Screen
{
    private readonly CatalogueViewModel _vm;
    private readonly Label _title = new() { X = 0, Y = 0, Text = "Catalogue" };
    private readonly TableView _table = Table();

    public CatalogueScreen(MainWindow main)
        : base(main)
    {
        _vm = new CatalogueViewModel(main.Session);
        _table.Y = 1;
        _table.Height = Terminal.Gui.ViewBase.Dim.Fill();
        Add(_title, _table);
    }

    public override string Help => "Catalogue: listini, each version with its act and status (adopted or draft), and its tariffs (read only; cst listino load/adopt to change)";

    public override async Task RefreshAsync()
    {
        await _vm.LoadAsync();
        _title.Text = $"Catalogue: {_vm.Rows.Count(r => r.Service == "version")} listino versions, {_vm.Rows.Count(r => r.Service != "version")} services";
        _table.Table = new ListTableSource<TariffRow>(_vm.Rows,
            ("Listino", t => t.Listino), ("Version", t => t.Version), ("Service", t => t.Service), ("Name", t => Fit(t.Name, 28)), ("Charges", t => t.Charges));
        _table.Update();
        _table.SetFocus();
    }
}
