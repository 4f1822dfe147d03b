using Cst.Actors.Admin.ViewModels;
using Cst.Actors.Contracts.Admin;
using Terminal.Gui.Input;

namespace Cst.Actors.Admin.Tui.Screens;

/// <summary>Deadlines of the next N days across all enti; Enter opens the ente of the selected row.</summary>
public sealed class DeadlinesScreen : TableScreen<UpcomingDeadline>
{
    private readonly DeadlinesViewModel _vm;

    public DeadlinesScreen(MainWindow main)
        : base(main) =>
        _vm = new DeadlinesViewModel(main.Session) { KindWord = kind => main.Texts.Word(kind) };

    public override string Name => T.DeadlinesName;

    public override string Help => T.DeadlinesKeys;

    public override IReadOnlyList<string> HelpLines => [.. T.DeadlinesHelp, T.RowKey];

    protected override IReadOnlyList<UpcomingDeadline> Rows => _vm.Shown;

    protected override string TitleText =>
        T.DeadlinesTitle(_vm.Days, _vm.Total, _vm.Filter.Length == 0 ? _vm.Total : _vm.UnfilteredTotal, _vm.Filter)
        + (_vm.Total > _vm.Rows.Count ? T.PageOf(_vm.Offset + 1, _vm.Offset + _vm.Rows.Count, _vm.Total) : string.Empty);

    protected override Col<UpcomingDeadline>[] Columns =>
    [
        new(T.ColDue, d => T.Date(d.Due), 10), new(T.ColKind, d => T.Word(d.Kind), 20), new("Ente", d => d.EnteName, 18), new(T.ColObject, d => d.Object),
    ];

    protected override IReadOnlyList<string> More(UpcomingDeadline row) => [string.Empty, T.Describe(new DeadlineFacts(row.Kind, null, row.Object, row.Due))];

    public override async Task RefreshAsync()
    {
        await _vm.LoadAsync();
        Bind();
    }

    public override bool OnScreenKey(Key key)
    {
        if (key == Key.Enter && Selected is { } row)
        {
            Main.Show(new EnteDetailScreen(Main, row.EnteId), push: true);
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

        return key.AsRune.Value switch
        {
            'n' => Form(_vm.DaysForm()),
            '/' => Form(_vm.FilterForm()),
            _ => base.OnScreenKey(key),
        };
    }
}

/// <summary>The latest notices produced by deadlines, their texts in the console's language.</summary>
public sealed class NoticesScreen(MainWindow main) : TableScreen<NoticeRow>(main)
{
    private readonly NoticesViewModel _vm = new(main.Session);

    public override string Name => T.NoticesName;

    public override string Help => T.NoticesKeys;

    public override IReadOnlyList<string> HelpLines => [T.NoticesKeys, T.RowKey];

    protected override IReadOnlyList<NoticeRow> Rows => _vm.Rows;

    protected override string TitleText => T.NoticesTitle(_vm.Rows.Count);

    protected override Col<NoticeRow>[] Columns =>
    [
        new(T.ColDue, n => T.Date(n.Due), 10), new(T.ColKind, n => T.Word(n.Kind), 20), new("Ente", n => n.EnteId, 6),
        new(T.ColObject, n => n.Object, 18), new(T.ColMessage, n => Body(T.Notice(n.Message), n.Object)),
    ];

    /// <summary>The notice's text after "casella PEC x@y: ", which the object column already names.</summary>
    public static string Body(string message, string objectKey)
    {
        ArgumentNullException.ThrowIfNull(message);
        var at = message.IndexOf(objectKey + ": ", StringComparison.Ordinal);
        return at >= 0 ? message[(at + objectKey.Length + 2)..] : message;
    }

    public override async Task RefreshAsync()
    {
        await _vm.LoadAsync();
        Bind();
    }

    public override bool OnScreenKey(Key key)
    {
        if (key == Key.Enter && Selected is { } row)
        {
            Main.Show(new EnteDetailScreen(Main, row.EnteId), push: true);
            return true;
        }

        return base.OnScreenKey(key);
    }
}

/// <summary>The audit log, newest first: who changed what, when.</summary>
public sealed class AuditScreen(MainWindow main) : TableScreen<AuditRow>(main)
{
    private readonly AuditViewModel _vm = new(main.Session);

    public override string Name => T.AuditName;

    public override string Help => T.AuditKeys;

    public override IReadOnlyList<string> HelpLines => [T.AuditKeys, T.RowKey];

    protected override IReadOnlyList<AuditRow> Rows => _vm.Rows;

    protected override string TitleText => T.AuditTitle(_vm.Rows.Count, _vm.Filter ?? string.Empty);

    // Stored in UTC; the CST reads its own time, Europe/Rome (summer time included).
    protected override Col<AuditRow>[] Columns =>
    [
        new(T.ColAt, a => T.Time(a.At), 16), new(T.ColOperator, a => a.Operator, 10), new(T.ColObject, a => a.Object, 20),
        new(T.ColAction, a => T.AuditAction(a.Action), 12), new(T.ColAfter, a => a.After ?? string.Empty),
    ];

    public override async Task RefreshAsync()
    {
        await _vm.LoadAsync();
        Bind();
    }

    public override bool OnScreenKey(Key key) => key.AsRune.Value == 'f' ? Form(_vm.FilterForm()) : base.OnScreenKey(key);
}

/// <summary>The listini with their versions and tariffs, the catalogue's own words in the console's language.</summary>
public sealed class CatalogueScreen(MainWindow main) : TableScreen<TariffRow>(main)
{
    private readonly CatalogueViewModel _vm = new(main.Session);

    public override string Name => T.CatalogueName;

    // The whole sentence did not fit the help line at 80 columns: its short form there, the rest under F1.
    public override string Help => T.CatalogueKeys;

    public override IReadOnlyList<string> HelpLines => [.. T.CatalogueHelp, T.RowKey];

    protected override IReadOnlyList<TariffRow> Rows => _vm.Rows;

    protected override string TitleText => T.CatalogueTitle(_vm.Rows.Count(r => r.Service == "version"), _vm.Rows.Count(r => r.Service != "version"));

    protected override Col<TariffRow>[] Columns =>
    [
        new(T.ColListino, t => t.Listino, 11), new(T.ColVersion, t => T.Catalogue(t.Version), 20), new(T.ColService, t => T.Catalogue(t.Service), 8),
        new(T.ColName, t => T.Catalogue(t.Name), 18), new(T.ColCharges, t => T.Catalogue(t.Charges)),
    ];

    public override async Task RefreshAsync()
    {
        await _vm.LoadAsync();
        Bind();
    }
}
