using Cst.Actors.Admin.Tui.Screens;
using Terminal.Gui.Input;

namespace Cst.Actors.Admin.Tests;

/// <summary>The outbox screen (F12) at 80x24 in Italian.</summary>
public sealed partial class ItalianScreenTests
{
    [Fact]
    public async Task OutboxScreen_InItalian_ListsAQueuedStatement_ShowsAMessageWhole_AndRetriesAFailedOneAfterAsking()
    {
        var (payer, _, _, _) = await cluster.NewEnteAsync();
        var (other, _, _, _) = await cluster.NewEnteAsync();
        // A statement queued by a close, not sent yet; then one that the relay refused until the attempts ran out.
        var queued = (await cluster.ReadAsync(
            "INSERT INTO outbox_message (kind, source_key, ente, billing_year, revision) VALUES ('statement', $1, $2, 2025, 1) RETURNING id::text",
            $"statement:2025/1/{payer}", payer)).Single();
        var failed = (await cluster.ReadAsync(
            """
            INSERT INTO outbox_message (kind, source_key, ente, billing_year, revision, status, attempts, recipient, last_error)
            VALUES ('statement', $1, $2, 2025, 1, 'failed', 8, 'protocollo@pec.comune.example.it', '550 5.1.1 mailbox unavailable')
            RETURNING id::text
            """,
            $"statement:2025/1/{other}", other)).Single();

        var screens = new Dictionary<string, string>();
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("Enti:")
            .Keys(Key.F12).WaitFor("Posta in uscita:").WaitFor("in coda").WaitFor("non riuscito")
            .Until("lista", () => screens.TryAdd("lista", harness.Screen))
            .Keys(Key.F1).WaitFor("Tasti: Posta in uscita")
            .Until("aiuto", () => screens.TryAdd("aiuto", harness.Screen))
            .Keys(Key.Enter).WaitFor(It.OutboxKeys)
            // The newest first: the failed one is selected; Enter shows it whole.
            .Keys(Key.Enter).WaitFor($"Messaggio {failed}").WaitFor("550 5.1.1 mailbox unavailable")
            .Until("messaggio", () => screens.TryAdd("messaggio", harness.Screen))
            .Keys(Key.Esc).WaitFor(It.OutboxKeys)
            // r asks first; No (the default) leaves it failed.
            .Keys((Key)'r').WaitFor($"Inviare di nuovo il messaggio {failed} a protocollo@pec.comune.example.it?")
            .Keys(Key.Enter).WaitFor(It.Cancelled)
            // Yes: queued again, its attempts counted afresh.
            .Keys((Key)'r').WaitFor($"Inviare di nuovo il messaggio {failed}")
            .Keys(Key.Tab, Key.Enter).WaitFor($"Messaggio {failed} in coda: parte al prossimo giro")
            .Until("ritentato", () => screens.TryAdd("ritentato", harness.Screen));
        harness.Run(cluster.Session(), main => main.Show(new EntiScreen(main)));

        var list = screens["lista"];
        AssertWhole(list, It.OutboxKeys);
        AssertWhole(list, It.GlobalKeys);
        AssertWhole(list, "rendiconto");
        AssertWhole(list, "2025/1/");
        Assert.DoesNotContain("pending", list, StringComparison.Ordinal);
        Assert.DoesNotContain("statement", list, StringComparison.Ordinal);
        foreach (var line in It.OutboxHelp)
        {
            AssertWhole(screens["aiuto"], line);
        }

        AssertWhole(screens["messaggio"], "Ultimo errore");
        AssertWhole(screens["messaggio"], "protocollo@pec.comune.example.it");
        Assert.Equal(["pending 0"], await cluster.ReadAsync("SELECT status || ' ' || attempts FROM outbox_message WHERE id = $1", long.Parse(failed, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["pending 0"], await cluster.ReadAsync("SELECT status || ' ' || attempts FROM outbox_message WHERE id = $1", long.Parse(queued, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
