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
    private readonly Label _status = new() { X = 0, Y = 0, Width = Dim.Fill(), Text = "Billing" };
    private readonly ProgressBar _progress = new() { X = 0, Y = 1, Width = Dim.Fill(), Height = 1 };
    private readonly TableView _upper = Table();
    private readonly Label _lowerTitle = new() { X = 0, Text = string.Empty };
    private readonly TableView _lower = Table();
    private object? _timer;
    private int _drill = -1;

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

    public override string Help => "y year/mode p preview f final c close e export Enter ente lines Tab tables";

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
                if (App is not null && MessageBox.Query(App, "Confirm", $"Close the final run of {_vm.Year}? It becomes immutable.", "No", "Yes") == 1)
                {
                    _ = Main.DoAsync(async () =>
                    {
                        _vm.Mode = BillingRunMode.Final;
                        Main.Say(await _vm.CloseAsync());
                        Bind();
                    });
                }

                return true;
            case 'e':
                _ = Main.DoAsync(() => RunFormAsync(_vm.ExportForm(), () => Task.CompletedTask));
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
        var what = mode == BillingRunMode.Preview ? "preview" : "final run";
        if (App is null || MessageBox.Query(App, "Confirm", $"Start the {what} of {_vm.Year}?", "No", "Yes") != 1)
        {
            return;
        }

        _ = Main.DoAsync(async () =>
        {
            _drill = -1;
            await _vm.StartAsync(mode);
            Main.Say($"Started the {what} of {_vm.Year}.");
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
        _status.Text = _vm.Describe();
        _progress.Fraction = _vm.Fraction;
        if (_vm.Totals is { } totals)
        {
            _upper.Table = new ListTableSource<BilledStatement>(_vm.Statements,
                ("Ente", s => s.EnteId), ("Name", s => Fit(s.EnteName, 26)), ("Payer", s => s.PayerId), ("Lines", s => s.Lines.Count), ("Total", s => Input.Euro(s.Total)));
            if (_drill >= 0 && _drill < _vm.Statements.Count)
            {
                var statement = _vm.Statements[_drill];
                _lowerTitle.Text = $"{statement.EnteName}: EUR {Input.Euro(statement.Total)}";
                _lower.Table = new ListTableSource<BilledLine>(statement.Lines,
                    ("Service", l => l.ServiceId), ("Component", l => Fit(l.ComponentName, 30)), ("Amount", l => Input.Euro(l.Amount)));
            }
            else
            {
                _lowerTitle.Text = $"Totals: EUR {Input.Euro(totals.GrandTotal)} over {totals.Enti} enti, {totals.Lines} lines";
                _lower.Table = new ListTableSource<TotalRow>(totals.ByService,
                    ("Service", r => r.Key), ("Name", r => Fit(r.Name, 36)), ("Lines", r => r.Lines), ("Amount", r => Input.Euro(r.Amount)));
            }
        }
        else
        {
            _upper.Table = new ListTableSource<BilledStatement>([], ("Ente", s => s.EnteId));
            _lowerTitle.Text = _vm.Running ? "Running in the cluster..." : "No completed run for this year and mode: p starts a preview.";
            _lower.Table = new ListTableSource<TotalRow>([], ("Service", r => r.Key));
        }

        _upper.Update();
        _lower.Update();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _timer is not null && App is not null)
        {
            App.RemoveTimeout(_timer);
        }

        base.Dispose(disposing);
    }
}
