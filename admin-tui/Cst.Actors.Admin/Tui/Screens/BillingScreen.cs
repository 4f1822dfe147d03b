using Cst.Actors.Admin.ViewModels;
using Cst.Actors.Domain.Billing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cst.Actors.Admin.Tui.Screens;

/// <summary>
/// The billing run of a year: start a preview or the final run and follow it on a progress bar (the run is in the
/// cluster: leaving the screen or the console does not stop it), the totals by service, the statements by ente
/// (Enter shows the lines of the selected one), close, export.
/// </summary>
public sealed class BillingScreen : Screen
{
    private readonly BillingViewModel _vm;
    private readonly Label _status = new() { X = 0, Y = 0, Width = Dim.Fill(), Text = string.Empty };
    private readonly ProgressBar _progress = new() { X = 0, Y = 1, Width = Dim.Fill(), Height = 1 };
    private readonly TableView _upper = Table();
    private readonly Label _lowerTitle = new() { X = 0, Text = string.Empty };
    private readonly TableView _lower = Table();
    private object? _timer;
    private int _drill = -1;
    private bool _failures;

    public BillingScreen(MainWindow main)
        : base(main)
    {
        _vm = new BillingViewModel(main.Session);
        _upper.Y = 2;
        _upper.Height = Dim.Percent(50);
        _lowerTitle.Y = Pos.Bottom(_upper);
        _lower.Y = Pos.Bottom(_lowerTitle);
        _lower.Height = Dim.Fill();
        Add(_status, _progress, _upper, _lowerTitle, _lower);
    }

    public override string Name => T.BillingName;

    public override string Help => T.BillingKeys;

    public override IReadOnlyList<string> HelpLines => T.BillingHelp;

    public BillingViewModel ViewModel => _vm;

    public override async Task RefreshAsync()
    {
        await _vm.InitAsync();
        Bind();
        Follow();
    }

    public override bool OnScreenKey(Key key)
    {
        switch (key.AsRune.Value)
        {
            case 'y':
                _ = Main.DoAsync(() => RunFormAsync(_vm.YearForm(), () =>
                {
                    _drill = -1;
                    Bind();
                    Follow();
                    return Task.CompletedTask;
                }));
                return true;
            case 'p':
                Start(BillingRunMode.Preview);
                return true;
            case 'f':
                Start(BillingRunMode.Final);
                return true;
            case 'c':
                // Irreversible: No is the default.
                if (App is not null && FormDialog.Confirm(App, T, T.CloseQuestion(_vm.Year), irreversible: true))
                {
                    _ = Main.DoAsync(async () =>
                    {
                        _vm.Mode = BillingRunMode.Final;
                        await _vm.CloseAsync();
                        Main.Say(Status());
                        Bind();
                    });
                }

                return true;
            case 'x':
                // The enti the run could not bill, with the reason; x again for the totals by service.
                _failures = !_failures && _vm.Progress is { Failures.Count: > 0 };
                _drill = -1;
                Bind();
                return true;
            case 'e':
                _ = Main.DoAsync(() => RunFormAsync(_vm.ExportForm(), () => Task.CompletedTask));
                return true;
        }

        if (key == Key.Enter && _lower.HasFocus && _drill < 0 && _failures && _vm.Progress is { Failures.Count: > 0 } run
            && SelectedRow(_lower) is var failure && failure >= 0 && failure < run.Failures.Count)
        {
            // The reason whole (the column is cut at the screen's edge), and in F9's list.
            Main.Say($"{run.Failures[failure].EnteId}: {T.Error(run.Failures[failure].Message)}");
            return true;
        }

        if (key == Key.Enter && _upper.HasFocus)
        {
            _drill = SelectedRow(_upper);
            Bind();
            return true;
        }

        return false;
    }

    private void Start(BillingRunMode mode)
    {
        var final = mode == BillingRunMode.Final;
        if (App is null || !FormDialog.Confirm(App, T, T.StartQuestion(final, _vm.Year), irreversible: false))
        {
            return;
        }

        _ = Main.DoAsync(async () =>
        {
            _drill = -1;
            await _vm.StartAsync(mode);
            Main.Say(T.Started(final, _vm.Year));
            Bind();
            Follow();
        });
    }

    /// <summary>While the run runs, reads its progress twice a second.</summary>
    private void Follow()
    {
        if (_timer is not null || !_vm.Running || App is null)
        {
            return;
        }

        var busy = false;
        _timer = App.AddTimeout(TimeSpan.FromMilliseconds(500), () =>
        {
            if (!busy)
            {
                busy = true;
                _ = Main.DoAsync(async () =>
                {
                    try
                    {
                        await _vm.RefreshAsync();
                        Bind();
                    }
                    finally
                    {
                        busy = false;
                    }
                });
            }

            var again = _vm.Running;
            if (!again)
            {
                _timer = null;
            }

            return again;
        });
    }

    private void Bind()
    {
        _status.Text = Status();
        _progress.Fraction = _vm.Fraction;
        if (_vm.Totals is { } totals)
        {
            TableColumns.Bind(_upper, _vm.Statements,
                new("Ente", s => s.EnteId, 6), new(T.ColName, s => s.EnteName, 30), new(T.ColPayer, s => s.PayerId, 8), new(T.ColLines, s => s.Lines.Count, 6, Right: true), new(T.ColTotal, s => T.Money(s.Total), 0, Right: true));
            if (_drill >= 0 && _drill < _vm.Statements.Count)
            {
                var statement = _vm.Statements[_drill];
                _lowerTitle.Text = $"{statement.EnteName}: EUR {T.Money(statement.Total)}";
                TableColumns.Bind(_lower, statement.Lines,
                    new(T.ColService, l => l.ServiceId, 8), new(T.ColComponent, l => l.ComponentName, 48), new(T.ColAmount, l => T.Money(l.Amount), 0, Right: true));
            }
            else if (_failures && _vm.Progress is { Failures.Count: > 0 } run)
            {
                // The enti the run could not bill come first: the run cannot be closed until they are corrected.
                _lowerTitle.Text = T.FailedEnti(run.EntiFailed);
                _lower.Table = new ListTableSource<Contracts.Billing.BillingRunFailure>(run.Failures,
                    ("Ente", f => f.EnteId), (T.ColWhy, f => T.Error(f.Message)));
            }
            else
            {
                _lowerTitle.Text = T.Totals(T.Money(totals.GrandTotal), totals.Enti, totals.Lines)
                    + (_vm.Progress is { EntiFailed: > 0 } failed ? " | " + T.FailedHint(failed.EntiFailed) : string.Empty);
                TableColumns.Bind(_lower, totals.ByService,
                    new(T.ColService, r => r.Key, 8), new(T.ColName, r => r.Name, 40), new(T.ColLines, r => r.Lines, 6, Right: true), new(T.ColAmount, r => T.Money(r.Amount), 0, Right: true));
            }
        }
        else
        {
            _upper.Table = new ListTableSource<BilledStatement>([], ("Ente", s => s.EnteId));
            _lowerTitle.Text = _vm.Running ? T.RunningInCluster : T.NoCompletedRun;
            _lower.Table = new ListTableSource<TotalRow>([], (T.ColService, r => r.Key));
        }

        _upper.Update();
        _lower.Update();
    }

    /// <summary>The run in one line: year, mode, revision, status, enti done of the total, failures, lines, total.</summary>
    private string Status() => _vm.Progress is { } v
        ? T.RunStatus(v.Year, T.Word(BillingExport.Mode(v.Mode)), v.Revision, T.Word(v.Status), v.EntiDone, v.EntiTotal, v.EntiFailed, v.Lines, T.Money(v.RunningTotal))
        : $"{_vm.Year} {T.Word(BillingExport.Mode(_vm.Mode))}";

    protected override void Dispose(bool disposing)
    {
        if (disposing && _timer is not null && App is not null)
        {
            App.RemoveTimeout(_timer);
        }

        base.Dispose(disposing);
    }
}
