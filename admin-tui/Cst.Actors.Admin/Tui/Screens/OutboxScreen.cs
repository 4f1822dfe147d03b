using Cst.Actors.Admin.ViewModels;
using Cst.Actors.Contracts.Outbox;
using Terminal.Gui.Input;

namespace Cst.Actors.Admin.Tui.Screens;

/// <summary>
/// The outbox: statements and deadline notices sent by PEC / e-mail or still to send, newest first. Enter shows one
/// whole with its evidence; r sends a failed one again after a confirmation (No the default: a message leaves the CST).
/// </summary>
public sealed class OutboxScreen(MainWindow main) : TableScreen<OutboxEntry>(main)
{
    private readonly OutboxViewModel _vm = new(main.Session);

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
            return Form(_vm.FilterForm());
        }

        if (Selected is not { } selected)
        {
            return false;
        }

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

        return base.OnScreenKey(key);
    }

    private string Value(string field, string value) => field is "kind" or "status" ? T.Word(value) : value;

    private static string Recipient(OutboxEntry r) => r.Recipient ?? r.Ente;

    /// <summary>What the message is: its subject once written, before that the statement (year/revision/payer) or notice it carries.</summary>
    private static string What(OutboxEntry r) => r.Subject ?? r.SourceKey[(r.SourceKey.IndexOf(':', StringComparison.Ordinal) + 1)..];

    private string Outcome(OutboxEntry r) => r.Status == "sent" && r.SentAt is { } at
        ? $"{T.Time(at)} {r.Channel} {r.RelayResponse ?? r.EmlPath}".TrimEnd()
        : r.LastError ?? string.Empty;

    protected override IReadOnlyList<OutboxEntry> Rows => _vm.Rows;

    protected override string TitleText => T.OutboxTitle(_vm.Rows.Count, _vm.Rows.Count(r => r.Status == "failed"))
        + (_vm.Status is null && _vm.Ente is null ? string.Empty : T.OutboxFiltered(_vm.Status is { } status ? T.Word(status) : null, _vm.Ente));

    protected override Col<OutboxEntry>[] Columns =>
    [
        new("N.", r => r.Id.ToString(T.Culture), 4, Right: true), new(T.ColKind, r => T.Word(r.Kind), 10), new(T.ColRecipient, r => Recipient(r), 18),
        new(T.ColWhat, r => What(r), 14), new(T.ColStatus, r => T.Word(r.Status), 12), new(T.ColAttempts, r => r.Attempts.ToString(T.Culture), 5, Right: true),
        new(T.ColOutcome, r => Outcome(r)),
    ];
}
