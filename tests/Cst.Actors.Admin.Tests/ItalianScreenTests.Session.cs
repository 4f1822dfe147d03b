using Cst.Actors.Admin.Tui.Screens;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Domain.Enti;
using NodaTime;
using Terminal.Gui.Input;

namespace Cst.Actors.Admin.Tests;

/// <summary>
/// At 80x24 in Italian: F9's list of the session's messages, the busy mark, the enti a billing run could not bill with
/// the reason, the ente header within 78 columns, the deadlines filtered by the Italian name of their kind.
/// </summary>
public sealed partial class ItalianScreenTests
{
    [Fact]
    public void F9_ListsTheSessionsMessagesWithTheirTimes_AfterAScreenChangeClearedTheMessageLine_AndTheTitleMarksBusyCalls()
    {
        var screens = new Dictionary<string, string>();
        var call = new TaskCompletionSource();
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("Enti:")
            .Keys(Key.F8).WaitFor("Ricaricato: Enti alle")
            .Keys(Key.F3).WaitFor("Scadenze nei prossimi")
            .Until("scadenze", () => screens.TryAdd("scadenze", harness.Screen))
            .Keys(Key.F9).WaitFor("Ultimi messaggi")
            .Until("f9", () => screens.TryAdd("f9", harness.Screen))
            .Keys(Key.Enter).WaitFor(It.DeadlinesKeys)
            // A dialog waits for the operator, not for the cluster: no busy mark while it is open.
            .Keys((Key)'n').Until("the days dialog", () => harness.Screen.Contains("Giorni avanti", StringComparison.Ordinal))
            .Until("dialogo", () => screens.TryAdd("dialogo", harness.Screen))
            .Keys(Key.Esc).WaitFor(It.DeadlinesKeys)
            .Until("a call that takes its time", () =>
            {
                _ = harness.Main.DoAsync(() => call.Task);
                return true;
            })
            .Until("the busy mark", () => harness.Screen.Contains(It.Busy, StringComparison.Ordinal))
            .Until("busy", () => screens.TryAdd("busy", harness.Screen))
            .Until("the call's end", () =>
            {
                call.TrySetResult();
                return true;
            })
            .Until("no busy mark", () => !harness.Screen.Contains(It.Busy, StringComparison.Ordinal));
        harness.Run(cluster.Session(), main => main.Show(new EntiScreen(main)));

        // The message line of the deadlines screen does not speak of the enti screen's reload...
        Assert.DoesNotContain("Ricaricato", screens["scadenze"], StringComparison.Ordinal);
        // ...F9 still has it, with its time (HH:mm:ss in Rome).
        Assert.Matches(@"\d\d:\d\d:\d\d Ricaricato: Enti alle \d\d:\d\d:\d\d\.", screens["f9"]);
        Assert.Contains($"cst - {AdminCluster.Operator} - {It.Busy}", screens["busy"], StringComparison.Ordinal);
        Assert.DoesNotContain(It.Busy, screens["dialogo"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BillingScreen_AfterAPreview_ListsTheEntiItCouldNotBill_WithTheReasonInItalian()
    {
        await cluster.NewEnteAsync();
        // An ente with no population for 2026: the membership quota cannot be computed, so the preview cannot bill it.
        var istat = AdminCluster.NewIstatCode();
        await cluster.Cluster.Client.GetGrain<IEnteGrain>(istat).RegisterAsync(
            new EnteRegistration("Comune di " + AdminCluster.Unique("Senza"), EnteKind.Comune, istat, null, new LocalDate(2023, 1, 1), "cst-padova", null, null, null),
            AdminCluster.Operator);

        var screens = new Dictionary<string, string>();
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("previsione")
            .Keys((Key)'p').WaitFor("Conferma").Keys(Key.Enter)
            .WaitFor("Totale: EUR").WaitFor(" non fatturat")
            .Until("totali", () => screens.TryAdd("totali", harness.Screen))
            .Keys((Key)'x').WaitFor("Enti non fatturati:")
            .Until("fatturazione", () => screens.TryAdd("fatturazione", harness.Screen));
        harness.Run(cluster.Session(), main => main.Show(new BillingScreen(main)));

        Assert.Matches(@"Totale: EUR [\d.]+,\d\d su \d+ enti, \d+ righe \| x: \d+ non fatturat", screens["totali"]);
        var screen = screens["fatturazione"];
        Assert.Matches(@"Enti non fatturati: \d+ \(Invio: il motivo per intero; x: i totali\)", screen);
        Assert.Contains("Motivo", screen, StringComparison.Ordinal);
        Assert.Contains("non ha la popolazione al 1° gennaio 2026", Flat(screen), StringComparison.Ordinal);
        AssertWhole(screen, It.BillingKeys);
        Assert.DoesNotContain("has no population", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnteHeader_OfALongName_FitsTheScreen_AndTheListinoAndPayerReadWhole()
    {
        var (enteId, _, _, _) = await cluster.NewEnteAsync("Unione dei Comuni del Camposampierese e dell'Alta Padovana " + AdminCluster.Unique("U"));
        var harness = new TuiHarness { Language = It };
        var screen = harness.WaitFor("listino cst-padova").WaitFor("paga per sé")
            .Run(cluster.Session(), main => main.Show(new EnteDetailScreen(main, enteId)));

        Assert.Contains($"(Comune {enteId}) | adesione 01/01/2023", screen, StringComparison.Ordinal);
        Assert.Contains("abitanti 4.321 (2026) | listino cst-padova | paga per sé", screen, StringComparison.Ordinal);
        Assert.Contains("Unione dei Comuni", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("payer", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deadlines_FilteredByTheItalianNameOfTheirKind()
    {
        await cluster.NewEnteAsync();
        var harness = new TuiHarness { Language = It };
        var screen = harness
            .WaitFor("Scadenze nei prossimi 30 giorni")
            .Keys((Key)'n').Keys(Key.Backspace, Key.Backspace).Type("45").Keys(Key.Enter).WaitFor("Scadenze nei prossimi 45 giorni")
            .Keys((Key)'/').Type("scadenza").Keys(Key.Enter).WaitFor("con 'scadenza'")
            .Run(cluster.Session(), main => main.Show(new DeadlinesScreen(main)));

        Assert.Matches(@"Scadenze nei prossimi 45 giorni: [1-9]\d* di \d+ con 'scadenza'", screen);
    }
}

/// <summary>The outbox's filter (f) at 80x24 in Italian.</summary>
public sealed partial class ItalianScreenTests
{
    [Fact]
    public async Task OutboxScreen_FilteredByStatusFromTheListAndByEnte_ShowsOnlyThatEntesFailedMessages()
    {
        var (mine, _, _, _) = await cluster.NewEnteAsync();
        var (other, _, _, _) = await cluster.NewEnteAsync();
        await cluster.ReadAsync(
            """
            INSERT INTO outbox_message (kind, source_key, ente, billing_year, revision, status, attempts, recipient, last_error)
            VALUES ('statement', $1, $2, 2025, 1, 'failed', 8, 'protocollo@pec.comune.example.it', '550 5.1.1 mailbox unavailable')
            RETURNING id::text
            """,
            $"statement:2025/1/{mine}", mine);
        await cluster.ReadAsync(
            "INSERT INTO outbox_message (kind, source_key, ente, billing_year, revision, status, attempts) VALUES ('statement', $1, $2, 2025, 1, 'failed', 8) RETURNING id::text",
            $"statement:2025/1/{other}", other);
        await cluster.ReadAsync(
            "INSERT INTO outbox_message (kind, source_key, ente, billing_year, revision) VALUES ('statement', $1, $2, 2026, 1) RETURNING id::text",
            $"statement:2026/1/{mine}", mine);

        var harness = new TuiHarness { Language = It };
        var screen = harness
            .WaitFor("Enti:")
            .Keys(Key.F12).WaitFor("Posta in uscita:")
            .Keys((Key)'f').WaitFor("Filtra la posta in uscita").WaitFor("(tutti)")
            // The statuses in words, in the list's order: (tutti), in coda, in invio, inviato, non riuscito.
            .Keys(Key.CursorDown, Key.CursorDown, Key.CursorDown, Key.CursorDown).Keys(Key.Tab).Type(mine).Keys(Key.Enter)
            .WaitFor($"(non riuscito, ente {mine})")
            .Run(cluster.Session(), main => main.Show(new EntiScreen(main)));

        Assert.Contains($"Posta in uscita: 1 messaggi, 1 non riusciti (non riuscito, ente {mine})", screen, StringComparison.Ordinal);
        Assert.Contains($"2025/1/{mine}", screen, StringComparison.Ordinal);
        Assert.DoesNotContain(other, screen, StringComparison.Ordinal);
        Assert.DoesNotContain($"2026/1/{mine}", screen, StringComparison.Ordinal);
        AssertWhole(screen, It.OutboxKeys);
    }
}
