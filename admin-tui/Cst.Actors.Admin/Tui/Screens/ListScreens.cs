using Cst.Actors.Admin.ViewModels;
using Cst.Actors.Contracts.Admin;
using Terminal.Gui.Input;
using Terminal.Gui.Views;

namespace Cst.Actors.Admin.Tui.Screens;

/// <summary>Deadlines of the next N days across all enti; Enter opens the ente of the selected row.</summary>
public sealed class DeadlinesScreen : Screen
{
    private readonly DeadlinesViewModel _vm;
    private readonly Label _title = new() { X = 0, Y = 0, Text = string.Empty };
    private readonly TableView _table = Table();

    public DeadlinesScreen(MainWindow main)
        : base(main)
    {
        _vm = new DeadlinesViewModel(main.Session) { KindWord = kind => main.Texts.Word(kind) };
        _table.Y = 1;
        _table.Height = Terminal.Gui.ViewBase.Dim.Fill();
        Add(_title, _table);
    }

    public override string Name => T.DeadlinesName;

    public override string Help => T.DeadlinesKeys;

    public override IReadOnlyList<string> HelpLines => T.DeadlinesHelp;

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

        if (key.AsRune.Value is ']' or '[')
        {
            _ = Main.DoAsync(async () =>
            {
                await (key.AsRune.Value == ']' ? _vm.NextPageAsync() : _vm.PreviousPageAsync());
                Bind();
            });
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
        _title.Text = T.DeadlinesTitle(_vm.Days, _vm.Total, _vm.Filter.Length == 0 ? _vm.Total : _vm.UnfilteredTotal, _vm.Filter)
            + (_vm.Total > _vm.Rows.Count ? T.PageOf(_vm.Offset + 1, _vm.Offset + _vm.Rows.Count, _vm.Total) : string.Empty);
        _table.Table = new ListTableSource<UpcomingDeadline>(_vm.Shown,
            (T.ColDue, d => T.Date(d.Due)), (T.ColKind, d => T.Word(d.Kind)), ("Ente", d => Fit(d.EnteName, 20)), (T.ColObject, d => Fit(d.Object, 30)));
        _table.Update();
        _table.SetFocus();
    }
}

/// <summary>The latest notices produced by deadlines.</summary>
public sealed class NoticesScreen : Screen
{
    private readonly NoticesViewModel _vm;
    private readonly Label _title = new() { X = 0, Y = 0, Text = string.Empty };
    private readonly TableView _table = Table();

    public NoticesScreen(MainWindow main)
        : base(main)
    {
        _vm = new NoticesViewModel(main.Session);
        _table.Y = 1;
        _table.Height = Terminal.Gui.ViewBase.Dim.Fill();
        Add(_title, _table);
    }

    public override string Name => T.NoticesName;

    public override string Help => T.NoticesKeys;

    public override async Task RefreshAsync()
    {
        await _vm.LoadAsync();
        _title.Text = T.NoticesTitle(_vm.Rows.Count);
        _table.Table = new ListTableSource<NoticeRow>(_vm.Rows,
            (T.ColDue, n => T.Date(n.Due)), (T.ColKind, n => T.Word(n.Kind)), ("Ente", n => n.EnteId), (T.ColObject, n => Fit(n.Object, 26)), (T.ColMessage, n => n.Message));
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
    private readonly Label _title = new() { X = 0, Y = 0, Text = string.Empty };
    private readonly TableView _table = Table();

    public AuditScreen(MainWindow main)
        : base(main)
    {
        _vm = new AuditViewModel(main.Session);
        _table.Y = 1;
        _table.Height = Terminal.Gui.ViewBase.Dim.Fill();
        Add(_title, _table);
    }

    public override string Name => T.AuditName;

    public override string Help => T.AuditKeys;

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
        _title.Text = T.AuditTitle(_vm.Rows.Count, _vm.Filter ?? string.Empty);
        // Stored in UTC; the CST reads its own time, Europe/Rome (summer time included).
        _table.Table = new ListTableSource<AuditRow>(_vm.Rows,
            (T.ColAt, a => T.Time(a.At)),
            (T.ColOperator, a => Fit(a.Operator, 10)), (T.ColObject, a => Fit(a.Object, 28)), (T.ColAction, a => a.Action), (T.ColAfter, a => a.After ?? string.Empty));
        _table.Update();
        _table.SetFocus();
    }
}

/// <summary>The listini with their versions and tariffs.</summary>
public sealed class CatalogueScreen : Screen
{
    private readonly CatalogueViewModel _vm;
    private readonly Label _title = new() { X = 0, Y = 0, Text = string.Empty };
    private readonly TableView _table = Table();

    public CatalogueScreen(MainWindow main)
        : base(main)
    {
        _vm = new CatalogueViewModel(main.Session);
        _table.Y = 1;
        _table.Height = Terminal.Gui.ViewBase.Dim.Fill();
        Add(_title, _table);
    }

    public override string Name => T.CatalogueName;

    // The whole sentence did not fit the help line at 80 columns: its short form there, the rest under F1.
    public override string Help => T.CatalogueKeys;

    public override IReadOnlyList<string> HelpLines => T.CatalogueHelp;

    public override async Task RefreshAsync()
    {
        await _vm.LoadAsync();
        _title.Text = T.CatalogueTitle(_vm.Rows.Count(r => r.Service == "version"), _vm.Rows.Count(r => r.Service != "version"));
        _table.Table = new ListTableSource<TariffRow>(_vm.Rows,
            (T.ColListino, t => t.Listino), (T.ColVersion, t => t.Version), (T.ColService, t => t.Service), (T.ColName, t => Fit(t.Name, 28)), (T.ColCharges, t => t.Charges));
        _table.Update();
        _table.SetFocus();
    }
}
