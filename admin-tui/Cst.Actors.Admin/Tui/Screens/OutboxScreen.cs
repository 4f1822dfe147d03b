using Cst.Actors.Admin.ViewModels;
using Cst.Actors.Contracts.Outbox;
using Terminal.Gui.Input;
using Terminal.Gui.Views;

namespace Cst.Actors.Admin.Tui.Screens;

/// <summary>
/// The outbox: statements and deadline notices sent by PEC / e-mail or still to send, newest first. Enter shows one
/// whole with its evidence; r sends a failed one again after a confirmation (No the default: a message leaves the CST).
/// </summary>
public sealed class OutboxScreen : Screen
{
    private readonly OutboxViewModel _vm;
    private readonly Label _title = new() { X = 0, Y = 0, Text = string.Empty };
    private readonly TableView _table = Table();

    public OutboxScreen(MainWindow main)
        : base(main)
    {
        _vm = new OutboxViewModel(main.Session);
        _table.Y = 1;
        _table.Height = Terminal.Gui.ViewBase.Dim.Fill();
        Add(_title, _table);
    }

    public override string Name => T.OutboxName;

    public override string Help => T.OutboxKeys;

    public override IReadOnlyList<string> HelpLines => T.OutboxHelp;

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

        var rows = _vm.Rows;
        var row = SelectedRow(_table);
        if (row < 0 || row >= rows.Count)
        {
            return false;
        }

        var selected = rows[row];
        if (key == Key.Enter)
        {
            _ = Main.DoAsync(async () =>
            {
                var entry = await _vm.GetAsync(selected.Id);
                if (App is not null)
                {
                    var lines = OutboxViewModel.Evidence(entry, T.Time)
                        .SelectMany(f => MainWindow.Wrap($"{T.OutboxField(f.Name),-14} {Value(f.Name, f.Value)}", Question.TextWidth));
                    Question.Show(App, T.OutboxMessageTitle(entry.Id), [.. lines], T.Close);
                }
            });
            return true;
        }

        if (key.AsRune.Value == 'r')
        {
            if (!OutboxViewModel.CanRetry(selected))
            {
                Main.Say(T.OutboxNotRetried(selected.Id, T.Word(selected.Status)));
            }
            else if (App is not null && FormDialog.Confirm(App, T, T.OutboxRetryQuestion(selected.Id, Recipient(selected)), irreversible: true))
            {
                _ = Main.DoAsync(async () =>
                {
                    var entry = await _vm.RetryAsync(selected.Id);
                    Main.Say(T.OutboxRetried(entry.Id, T.Word(entry.Status)));
                    Bind();
                });
            }
            else
            {
                Main.Say(T.Cancelled);
            }

            return true;
        }

        return false;
    }

    private string Value(string field, string value) => field is "kind" or "status" ? T.Word(value) : value;

    private static string Recipient(OutboxEntry r) => r.Recipient ?? r.Ente;

    /// <summary>What the message is: its subject once written, before that the statement (year/revision/payer) or notice it carries.</summary>
    private static string What(OutboxEntry r) => r.Subject ?? r.SourceKey[(r.SourceKey.IndexOf(':', StringComparison.Ordinal) + 1)..];

    private string Outcome(OutboxEntry r) => r.Status == "sent" && r.SentAt is { } at
        ? $"{T.Time(at)} {r.Channel} {r.RelayResponse ?? r.EmlPath}".TrimEnd()
        : r.LastError ?? string.Empty;

    private void Bind()
    {
        _title.Text = T.OutboxTitle(_vm.Rows.Count, _vm.Rows.Count(r => r.Status == "failed"))
            + (_vm.Status is null && _vm.Ente is null ? string.Empty : T.OutboxFiltered(_vm.Status is { } status ? T.Word(status) : null, _vm.Ente));
        _table.Table = new ListTableSource<OutboxEntry>(_vm.Rows,
            ("N.", r => r.Id.ToString(T.Culture)), (T.ColKind, r => T.Word(r.Kind)), (T.ColRecipient, r => Fit(Recipient(r), 20)),
            (T.ColWhat, r => Fit(What(r), 20)), (T.ColStatus, r => T.Word(r.Status)), (T.ColAttempts, r => r.Attempts.ToString(T.Culture)),
            (T.ColOutcome, r => Outcome(r)));
        _table.Update();
        _table.SetFocus();
    }
}
