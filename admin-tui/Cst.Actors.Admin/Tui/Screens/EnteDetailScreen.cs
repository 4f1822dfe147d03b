using Cst.Actors.Admin.ViewModels;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Domain.Pricing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cst.Actors.Admin.Tui.Screens;

/// <summary>
/// An ente: identity, its mailboxes, devices and services (the selected one is what d, t, c, r, x act on), and below
/// either the statement of the chosen year or the ente's notices.
/// </summary>
public sealed class EnteDetailScreen : Screen
{
    private readonly EnteDetailViewModel _vm;
    private readonly Label _header;
    private readonly TableView _objects;
    private readonly Label _statement;
    private readonly TableView _lower;
    private bool _showNotices;

    public EnteDetailScreen(MainWindow main, string enteId)
        : base(main)
    {
        _vm = new EnteDetailViewModel(main.Session, enteId);
        _header = new Label { X = 0, Y = 0, Width = Dim.Fill(), Height = 2, Text = enteId };
        _objects = Table();
        _objects.Y = 2;
        _objects.Height = Dim.Percent(55);
        _statement = new Label { X = 0, Y = Pos.Bottom(_objects), Width = Dim.Fill(), Text = string.Empty };
        _lower = Table();
        _lower.Y = Pos.Bottom(_statement);
        _lower.Height = Dim.Fill();
        Add(_header, _objects, _statement, _lower);
    }

    // m/v/h add a mailbox, device, service; e/p/y/w edit, population, payer, withdrawal; s statement year; n notices.
    public override string Name => T.EnteName + " " + _vm.EnteId;

    public override string Help => T.EnteKeys;

    public override IReadOnlyList<string> HelpLines => T.EnteHelp;

    public EnteDetailViewModel ViewModel => _vm;

    public override async Task RefreshAsync()
    {
        await _vm.LoadAsync();
        Bind();
    }

    public override bool OnScreenKey(Key key)
    {
        var row = SelectedRow(_objects) is var i && i >= 0 && i < _vm.Objects.Count ? _vm.Objects[i] : null;
        ActionForm? form = null;
        var rune = key.AsRune.Value;
        switch (rune)
        {
            case 'd':
                form = row is null ? null : _vm.DisdettaForm(row);
                break;
            case 't':
                form = row is null ? null : _vm.ChangeForm(row);
                break;
            case 'c':
                form = row is null ? null : _vm.ConsumptionForm(row);
                break;
            case 'r':
                form = row is null ? null : _vm.RenewForm(row);
                break;
            case 'x':
                form = row is null ? null : _vm.RevokeForm(row);
                break;
            case 'a':
                form = row is null ? null : _vm.SpaceForm(row);
                break;
            case 'o':
                form = row is null ? null : _vm.ConservazioneForm(row);
                break;
            case 'f':
                form = row is null ? null : _vm.CeaseForm(row);
                break;
            case 'i':
                if (row is not null && App is not null)
                {
                    ShowRow(_objects.Table!, SelectedRow(_objects), Deadline(row) is { } facts ? [string.Empty, T.Describe(facts)] : []);
                }

                return true;
            case 'm':
                form = _vm.MailboxForm();
                break;
            case 'v':
                form = _vm.DeviceForm();
                break;
            case 'h':
                form = _vm.ServiceForm();
                break;
            case 'e':
                form = _vm.EditForm();
                if (form is null)
                {
                    Main.Say(T.NotLoaded);
                    return true;
                }

                break;
            case 'p':
                form = _vm.PopulationForm();
                break;
            case 'y':
                // The capofila picked by name: the enti are read when the dialog opens.
                _ = Main.DoAsync(async () => await RunFormAsync(await _vm.PayerFormWithEntiAsync()));
                return true;
            case 'w':
                form = _vm.WithdrawForm();
                break;
            case 's':
                form = new ActionForm("Statement preview", [new("Year", _vm.StatementYear.ToString(System.Globalization.CultureInfo.InvariantCulture))], v =>
                {
                    var year = Input.Year(v[0]);
                    return new PreparedAction(string.Empty, async () =>
                    {
                        await _vm.LoadStatementAsync(year);
                        _showNotices = false;
                        return StatementLine();
                    });
                });
                _ = Main.DoAsync(() => RunFormAsync(form, () =>
                {
                    Bind();
                    return Task.CompletedTask;
                }));
                return true;
            case 'n':
                _showNotices = !_showNotices;
                Bind();
                return true;
            default:
                return false;
        }

        if (form is null)
        {
            Main.Say(row is null ? T.SelectObjectFirst : T.NotApplicable(KindText(row), row.Key));
            return true;
        }

        _ = Main.DoAsync(() => RunFormAsync(form));
        return true;
    }

    private void Bind()
    {
        _header.Text = Header();
        var selected = SelectedRow(_objects);
        // Sized to 78 columns: a long address or deadline is cut, i shows the row whole.
        TableColumns.Bind(_objects, _vm.Objects,
            new(T.ColKind, KindText, 8), new(T.ColKey, o => o.Key, 22), new(T.ColStatus, o => T.Word(o.Status), 17), new(T.ColNextDeadline, Next, 18), new(T.ColDetail, o => T.Detail(o.Detail)));
        if (selected >= 0 && selected < _vm.Objects.Count)
        {
            _objects.SetSelection(0, selected, false);
        }

        if (_showNotices)
        {
            _statement.Text = T.NoticesOf(_vm.EnteId, _vm.Notices.Count);
            TableColumns.Bind(_lower, _vm.Notices,
                new(T.ColDue, n => T.Date(n.Due), 10), new(T.ColKind, n => T.Word(n.Kind), 20), new(T.ColObject, n => n.Object, 20), new(T.ColMessage, n => NoticesScreen.Body(T.Notice(n.Message), n.Object)));
        }
        else
        {
            _statement.Text = StatementLine() + T.StatementKeys;
            TableColumns.Bind(_lower, _vm.Statement?.Lines ?? [],
                new(T.ColService, l => l.ServiceId, 8), new(T.ColComponent, l => l.ComponentId, 16), new(T.ColAmount, l => T.Money(l.Amount), 10, Right: true),
                new(T.ColName, l => l.ComponentName + (l.SubscriptionId is null ? string.Empty : " " + l.SubscriptionId)));
        }

        _objects.Update();
        _lower.Update();
        _objects.SetFocus();
    }

    private string KindText(ObjectRow row) => row.Kind switch
    {
        ChildKind.PecMailbox => T.KindPec,
        ChildKind.FirmaDevice => T.KindFirma,
        _ => T.KindService,
    };

    // A short kind word: "31/12/2026 termine" fits the column's 18; i says it in full (Deadline).
    private string Next(ObjectRow row) =>
        row.Deadline is { ArmedFor: { } on } d ? $"{T.Date(on)} {T.KindShort(d.NextKind)}" : row.Next;

    private static DeadlineFacts? Deadline(ObjectRow row) =>
        row.Deadline is { ArmedFor: { } on, NextKind: { } kind } ? new DeadlineFacts(kind, row.Kind, row.Key, on, row.DisdettaOn, row.DisdettaEvidence) : null;

    private string StatementLine() => _vm.Statement is { } s
        ? T.StatementOf(_vm.StatementYear, T.Money(s.Total), s.Lines.Count)
        : T.StatementNot(_vm.StatementYear, _vm.StatementError is { } e ? T.Error(e) : T.NotComputed);

    /// <summary>The columns inside the window's borders at 80x24.</summary>
    public const int HeaderWidth = 78;

    /// <summary>Name, kind and key, adhesion, latest population, listino; then who pays, year by year.</summary>
    private string Header()
    {
        if (_vm.Ente is not { } e)
        {
            return _vm.EnteId;
        }

        var population = e.Population.OrderByDescending(p => p.Year).FirstOrDefault();
        var withdrawn = e.WithdrawnOn is { } w ? $" | {T.WithdrawnOn} {T.Date(w)}" : string.Empty;
        // Two lines of 78 columns: who and since when (a long name gives way: the enti list and e show it whole), then
        // population, listino and who pays.
        var name = e.Registration.Name;
        var parts = T.EnteHeader(name, $"{e.Registration.Kind} {_vm.EnteId}", T.Date(e.Registration.AdheredOn),
            population is null ? T.PopulationNone : T.Population(population.Inhabitants, population.Year), e.Registration.ListinoId).Split(" | ");
        var first = string.Join(" | ", parts.Take(2)) + withdrawn;
        if (first.Length > HeaderWidth)
        {
            first = first.Replace(name, Fit(name, Math.Max(12, name.Length - (first.Length - HeaderWidth))), StringComparison.Ordinal);
        }

        var second = string.Join(" | ", [.. parts.Skip(2), T.Payers(e.Payers, e.Registration.AdheredOn.Year)]);
        return Fit(first, HeaderWidth) + "\n" + Fit(second, HeaderWidth);
    }
}
