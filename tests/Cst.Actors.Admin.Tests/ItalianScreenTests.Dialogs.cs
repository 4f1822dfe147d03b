using System.Text.RegularExpressions;
using Cst.Actors.Admin.Tui;
using Cst.Actors.Admin.Tui.Screens;
using Cst.Actors.Contracts.Pec;
using Terminal.Gui.Input;

namespace Cst.Actors.Admin.Tests;

/// <summary>
/// The dialogs at 80x24 in Italian: Enter presses the focused button, typing replaces a field's value, messages read
/// left-aligned, field errors name the Italian label.
/// </summary>
public sealed partial class ItalianScreenTests
{
    /// <summary>A dialog's text over the main window, its borders taken out and its lines read on.</summary>
    private static string Plain(string screen) => Spaces().Replace(Regex.Replace(screen, "[│┃║]", " "), " ");

    [Fact]
    public async Task Quit_EnterOnTheFocusedNo_Stays_EnterOnSi_Quits()
    {
        await cluster.NewEnteAsync();
        var stayed = false;
        string? asked = null;
        var openAfterYes = false;
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("Enti:")
            .Keys(Key.Q.WithCtrl).WaitFor(It.QuitQuestion)
            .Until("the question", () => (asked = harness.Screen).Length > 0)
            // The focus starts on No: Enter answers what the focused button says.
            .Keys(Key.Enter).WaitFor(It.EntiKeys)
            .Until("the console to stay", () => stayed = ReferenceEquals(harness.App.TopRunnableView, harness.Main))
            .Keys(Key.F10).WaitFor(It.QuitQuestion)
            // Tab to Sì: Enter quits, and the run returns before the next step could see the console again.
            .Keys(Key.Tab, Key.Enter)
            .Until("the console open again after Sì", () => openAfterYes = ReferenceEquals(harness.App.TopRunnableView, harness.Main));
        harness.Run(cluster.Session(), main => main.Show(new EntiScreen(main)));

        Assert.True(stayed, "Enter on the focused No quit the console:\n" + asked);
        Assert.Contains(It.No, asked!, StringComparison.Ordinal);
        Assert.False(openAfterYes, "Tab to Sì and Enter did not quit");
    }

    [Fact]
    public async Task DisdettaDialog_TypingReplacesTheDate_AndAMalformedOneIsNamedByItsItalianLabel()
    {
        var (enteId, mailbox, _, _) = await cluster.NewEnteAsync();
        var yesterday = It.Date(cluster.Today.PlusDays(-1));
        string? confirmation = null;
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("abitanti 4.321").WaitFor("PEC")
            .Keys((Key)'d').WaitFor("Registra disdetta").WaitFor(It.Date(cluster.Today))
            // The date is selected when the field has the focus: what is typed replaces it.
            .Type("domani").Keys(Key.Enter).WaitFor("Ricevuta il: una data come 31/12/2026, non 'domani'.")
            .Keys(Key.Tab, Key.Tab.WithShift).Type(yesterday).Keys(Key.Tab).Type("PROT-9").Keys(Key.Enter).WaitFor("Conferma")
            .Until("the confirmation", () => (confirmation = harness.Screen).Length > 0)
            .Keys(Key.Enter).WaitFor("Disdetta registrata");
        harness.Run(cluster.Session(), main => main.Show(new EnteDetailScreen(main, enteId)));

        Assert.Contains($"ricevuta il {yesterday} (PROT-9)", Plain(confirmation!), StringComparison.Ordinal);
        Assert.Contains(mailbox, Plain(confirmation!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeDialog_ReasonsInAList_NonePreselected_RefusedUntilOneIsPicked()
    {
        var (enteId, _, device, _) = await cluster.NewEnteAsync();
        string? dialog = null;
        string? confirmation = null;
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("abitanti 4.321").WaitFor(device)
            .Keys(Key.CursorDown, (Key)'x').WaitFor("Revoca dispositivo").WaitFor("titolare cessato")
            .Until("the dialog", () => (dialog = harness.Screen).Length > 0)
            .Keys(Key.Enter).WaitFor("Motivo: obbligatorio.")
            .Keys(Key.Tab, Key.CursorDown, Key.CursorDown, Key.Enter).WaitFor("Conferma")
            .Until("the confirmation", () => (confirmation = harness.Screen).Length > 0)
            .Keys(Key.Esc).WaitFor(It.Cancelled);
        harness.Run(cluster.Session(), main => main.Show(new EnteDetailScreen(main, enteId)));

        foreach (var word in new[] { "smarrito", "rubato", "titolare cessato", "altro" })
        {
            Assert.Contains(word, dialog!, StringComparison.Ordinal);
        }

        Assert.Matches(@"Revocare \S+ il \d\d/\d\d/\d{4} \((smarrito|rubato|titolare cessato|altro)\)\?", Plain(confirmation!));
    }

    [Fact]
    public async Task EnteScreen_TablesFitEightyColumns_AmountsRightAligned_PopulationGrouped_iShowsTheRowWhole()
    {
        var (enteId, mailbox, _, _) = await cluster.NewEnteAsync();
        await cluster.Cluster.Client.GetGrain<IPecMailboxGrain>(mailbox).SetExtraSpaceAsync(new NodaTime.LocalDate(2025, 2, 1), 2m, AdminCluster.Operator);
        string? screen = null;
        string? row = null;
        string? space = null;
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("abitanti 4.321").WaitFor("Rendiconto").WaitFor("quota")
            .Until("the screen", () => (screen = harness.Screen).Length > 0)
            .Keys((Key)'i').WaitFor("Prossima scadenza:")
            .Until("the row", () => (row = harness.Screen).Length > 0)
            .Keys(Key.Enter).WaitFor(It.EnteKeys)
            .Keys((Key)'a').WaitFor("Spazio aggiuntivo:")
            .Until("the space dialog", () => (space = harness.Screen).Length > 0)
            .Keys(Key.Esc).WaitFor(It.Cancelled);
        harness.Run(cluster.Session(), main => main.Show(new EnteDetailScreen(main, enteId)));

        var lines = screen!.Split('\n');
        // Both tables end inside the window: their last column's right border beside the window's.
        Assert.Matches(@"Dettaglio\s*││$", lines.Single(l => l.Contains("Prossima scadenza", StringComparison.Ordinal)).TrimEnd());
        Assert.Matches(@"Nome\s*││$", lines.Single(l => l.Contains("Importo", StringComparison.Ordinal)).TrimEnd());
        // Amounts right-aligned: the digits end at the column's border.
        var amounts = lines.Where(l => Regex.IsMatch(l, @"\d,\d\d\s*│")).ToList();
        Assert.NotEmpty(amounts);
        Assert.All(amounts, l => Assert.Matches(@"\d,\d\d│", l));
        // The address cut in the table, whole in the row's view.
        Assert.Contains(mailbox, Plain(row!), StringComparison.Ordinal);
        Assert.Contains("Spazio aggiuntivo GB (0: nessuno):", space!, StringComparison.Ordinal);
        Assert.Matches(@"Spazio aggiuntivo GB \(0: nessuno\):\s+2\s", space!);
    }

    [Fact]
    public void F9_LongMessage_WrappedLinesStartAtTheSameColumn()
    {
        var message = "Errore: " + string.Join(" ", Enumerable.Range(1, 30).Select(i => $"parola{i}"));
        string? shown = null;
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("Enti:")
            .Until("a long message", () =>
            {
                harness.Main.Say(message);
                return true;
            })
            .Keys(Key.F9).WaitFor("parola30")
            .Until("the messages", () => (shown = harness.Screen).Length > 0)
            .Keys(Key.Enter).WaitFor(It.EntiKeys);
        harness.Run(cluster.Session(), main => main.Show(new EntiScreen(main)));

        var lines = shown!.Split('\n').Where(l => l.Contains('┃', StringComparison.Ordinal) && l.Contains("parola", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count >= 3, shown);
        var starts = lines.Select(l => l.IndexOf("parola", StringComparison.Ordinal) - (l.Contains("Errore: ", StringComparison.Ordinal) ? "Errore: ".Length : 0)).Distinct().ToList();
        Assert.True(starts.Count == 1, "wrapped lines start at different columns:\n" + shown);
    }

    [Fact]
    public async Task WithdrawDialog_ALongLabel_LeavesAColumnBeforeItsField()
    {
        var (enteId, _, _, _) = await cluster.NewEnteAsync();
        string? dialog = null;
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("abitanti 4.321")
            .Keys((Key)'w').WaitFor("Recesso dell'ente").WaitFor(It.Date(cluster.Today))
            .Until("the dialog", () => (dialog = harness.Screen).Length > 0)
            .Keys(Key.Esc).WaitFor(It.Cancelled);
        harness.Run(cluster.Session(), main => main.Show(new EnteDetailScreen(main, enteId)));

        Assert.Matches(@"Recesso dal \(primo giorno non socio\): +" + Regex.Escape(It.Date(cluster.Today)), dialog!);
    }
}
