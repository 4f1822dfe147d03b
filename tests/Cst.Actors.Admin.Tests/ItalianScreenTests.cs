using System.Text.RegularExpressions;
using Cst.Actors.Admin.Tui;
using Cst.Actors.Admin.Tui.Screens;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Pec;
using Terminal.Gui.Input;

namespace Cst.Actors.Admin.Tests;

/// <summary>
/// Each screen at 80x24 in Italian: its words, its key help line and F1's list whole, refusals read whole; the
/// quit key and its confirmation; F8's message; the selection in reverse video without colours.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed partial class ItalianScreenTests(AdminCluster cluster)
{
    private static readonly Texts It = Texts.Italian;

    /// <summary>The screen's text with the window's borders taken out and runs of spaces as one: wrapped lines read on.</summary>
    private static string Flat(string screen) =>
        Spaces().Replace(string.Join(" ", screen.Split('\n').Select(l => l.Trim().Trim('│', '┃', '║').Trim())), " ");

    [GeneratedRegex(@"^\W*\d{6}\W")]
    private static partial Regex Row();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    private static void AssertWhole(string screen, string line) =>
        Assert.True(screen.Contains(line, StringComparison.Ordinal), $"'{line}' not whole on the screen:\n{screen}");

    [Fact]
    public async Task EveryScreen_InItalian_ShowsItsWordsAndWholeKeyLines_AndF1ListsItsKeys()
    {
        var (_, _, _, name) = await cluster.NewEnteAsync();
        var screens = new Dictionary<string, string>();
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("Enti:").WaitFor("mostrati").WaitFor("Abitanti")
            .Until("enti", () => screens.TryAdd("enti", harness.Screen))
            .Keys(Key.F1).WaitFor("Tasti: Enti")
            .Until("enti help", () => screens.TryAdd("enti help", harness.Screen))
            .Keys(Key.Enter).WaitFor(It.EntiKeys)
            .Keys((Key)'/').Type(name).WaitFor("1 mostrati").Keys(Key.Enter, Key.Enter).WaitFor("abitanti 4.321").WaitFor("attivo")
            .Until("ente", () => screens.TryAdd("ente", harness.Screen))
            .Keys(Key.F1).WaitFor("Tasti: Ente")
            .Until("ente help", () => screens.TryAdd("ente help", harness.Screen))
            .Keys(Key.Esc).WaitFor(It.EnteKeys)
            .Keys(Key.F3).WaitFor("Scadenze nei prossimi 30 giorni")
            .Keys((Key)'n').Keys(Key.Backspace, Key.Backspace).Type("45").Keys(Key.Enter).WaitFor("Scadenze nei prossimi 45 giorni").WaitFor("scadenza")
            .Until("scadenze", () => screens.TryAdd("scadenze", harness.Screen))
            .Keys(Key.F5).WaitFor("Avvisi (ultimi")
            .Until("avvisi", () => screens.TryAdd("avvisi", harness.Screen))
            .Keys(Key.F6).WaitFor("Registro delle modifiche").WaitFor("Quando (Roma)")
            .Until("audit", () => screens.TryAdd("audit", harness.Screen))
            .Keys(Key.F7).WaitFor("Listini:").WaitFor("cst-padova")
            .Until("listini", () => screens.TryAdd("listini", harness.Screen))
            .Keys(Key.F4).WaitFor("previsione")
            .Until("fatturazione", () => screens.TryAdd("fatturazione", harness.Screen))
            .Keys((Key)'?').WaitFor("Tasti: Fatturazione")
            .Until("fatturazione help", () => screens.TryAdd("fatturazione help", harness.Screen));
        harness.Run(cluster.Session(), main => main.Show(new EntiScreen(main)));

        foreach (var (screenName, keys) in new[] { ("enti", It.EntiKeys), ("ente", It.EnteKeys), ("scadenze", It.DeadlinesKeys), ("avvisi", It.NoticesKeys), ("audit", It.AuditKeys), ("listini", It.CatalogueKeys), ("fatturazione", It.BillingKeys) })
        {
            var screen = screens[screenName];
            AssertWhole(screen, keys);
            AssertWhole(screen, It.GlobalKeys);
            foreach (var english in new[] { "Deadlines", "Population", "Status", "Next deadline", "Estimate", "Cancel", "Confirm" })
            {
                Assert.DoesNotContain(english, screen, StringComparison.Ordinal);
            }
        }

        Assert.Contains("Stima 2026", screens["enti"], StringComparison.Ordinal);
        Assert.Contains("adesione 01/01/2023", screens["ente"], StringComparison.Ordinal);
        Assert.Contains("Prossima scadenza", screens["ente"], StringComparison.Ordinal);
        // Deadline kinds in plain Italian, dates as dd/mm/yyyy.
        Assert.Matches(@"\d{2}/\d{2}/20\d{2}", screens["scadenze"]);
        Assert.DoesNotMatch(@"20\d{2}-\d{2}-\d{2}", screens["scadenze"]);
        Assert.DoesNotContain("DisdettaDeadline", screens["scadenze"], StringComparison.Ordinal);
        Assert.DoesNotContain("ExpiryWarning", screens["scadenze"], StringComparison.Ordinal);
        foreach (var line in It.EntiHelp.Concat(It.GlobalHelp))
        {
            AssertWhole(screens["enti help"], line);
        }

        foreach (var line in It.EnteHelp)
        {
            AssertWhole(screens["ente help"], line);
        }

        foreach (var line in It.BillingHelp)
        {
            AssertWhole(screens["fatturazione help"], line);
        }
    }

    [Fact]
    public async Task EnteScreen_LongRefusal_IsShownWholeInItalian_AndClearedOnTheNextScreen()
    {
        var (enteId, mailbox, _, _) = await cluster.NewEnteAsync();
        var earlier = cluster.Today.PlusDays(-1);
        await cluster.Cluster.Client.GetGrain<IPecMailboxGrain>(mailbox).ReceiveDisdettaAsync(earlier, "PROT-1", AdminCluster.Operator);
        var expected = $"Errore: casella PEC {mailbox} ha già una disdetta ricevuta il {It.Date(earlier)}; un'altra il {It.Date(cluster.Today)} è rifiutata";
        string? refused = null;
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("abitanti 4.321").WaitFor("PEC")
            .Keys((Key)'d').WaitFor("Registra disdetta").WaitFor("Ricevuta il").WaitFor(It.Date(cluster.Today))
            // Evidence left empty: refused in Italian, the dialog stays open.
            .Keys(Key.Enter).WaitFor("Prova: obbligatorio.")
            .Keys(Key.Tab).Type("PROT-2").Keys(Key.Enter).WaitFor("Conferma").WaitFor("Registrare la disdetta di")
            .Keys(Key.Enter).WaitFor("Errore:")
            .Until("the refusal", () => (refused = harness.Screen).Length > 0)
            .Keys(Key.F3).WaitFor("Scadenze nei prossimi");
        var last = harness.Run(cluster.Session(), main => main.Show(new EnteDetailScreen(main, enteId)));

        Assert.True(expected.Length > 78, "the refusal should need more than one line");
        Assert.Contains(expected, Flat(refused!), StringComparison.Ordinal);
        Assert.DoesNotContain("Errore:", last, StringComparison.Ordinal);
        Assert.Equal(string.Empty, harness.Main.Message);
    }

    [Fact]
    public async Task CtrlQ_AsksFirst_NoStays_ThenF8SaysWhatItReloaded()
    {
        await cluster.NewEnteAsync();
        var stayed = false;
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("Enti:")
            .Keys(Key.Q.WithCtrl).WaitFor(It.QuitQuestion)
            // Esc answers No: the console stays.
            .Keys(Key.Esc).WaitFor(It.EntiKeys)
            .Until("the console to stay", () => stayed = ReferenceEquals(harness.App.TopRunnableView, harness.Main))
            .Keys(Key.F8).WaitFor("Ricaricato: Enti alle")
            .Keys(Key.Q.WithCtrl).WaitFor(It.QuitQuestion)
            .Keys(Key.Enter);
        harness.Run(cluster.Session(), main => main.Show(new EntiScreen(main)));

        Assert.True(stayed);
    }

    [Fact]
    public async Task Monochrome_SelectedRowIsInReverseVideo_OtherRowsAreNot()
    {
        var (_, _, _, name) = await cluster.NewEnteAsync();
        await cluster.NewEnteAsync();
        Assert.True(AdminTui.Monochrome("1", "vt100"));
        Assert.True(AdminTui.Monochrome(null, "vt100"));
        Assert.False(AdminTui.Monochrome(null, "xterm-256color"));
        var harness = new TuiHarness { Language = It, Monochrome = true };
        List<string>? reversed = null;
        string[] lines = [];
        harness
            .WaitFor("Enti:").WaitFor(name)
            .Until("rows drawn", () =>
            {
                var contents = harness.App.Driver!.Contents!;
                lines = harness.Screen.Split('\n');
                // Every line of the window below the title and the search field with a cell in reverse video.
                reversed = [.. Enumerable.Range(3, 18).Where(row =>
                    Enumerable.Range(1, 78).Any(col => contents[row, col].Attribute is { } a && a.Style.HasFlag(Terminal.Gui.Drawing.TextStyle.Reverse)))
                    .Select(row => lines[row])];
                return true;
            });
        harness.Run(cluster.Session(), main => main.Show(new EntiScreen(main)));

        // Of the enti's rows, one is in reverse video: the selected one (the list's first).
        var rows = lines.Where(l => Row().IsMatch(l)).ToList();
        Assert.True(rows.Count >= 2, string.Join("\n", lines));
        Assert.Equal([rows[0]], reversed!.Where(l => Row().IsMatch(l)));
    }

    [Fact]
    public async Task EntiList_ActiveCountsObjectsAsTheEnteScreenShowsThem_NotSubscriptions()
    {
        // A mailbox with extra space is billed as two subscriptions (the mailbox and its space) but is one mailbox.
        var (enteId, mailbox, _, _) = await cluster.NewEnteAsync();
        await cluster.Cluster.Client.GetGrain<IPecMailboxGrain>(mailbox).SetExtraSpaceAsync(new NodaTime.LocalDate(2025, 2, 1), 2m, AdminCluster.Operator);
        var detail = new ViewModels.EnteDetailViewModel(cluster.Session(), enteId);
        await detail.LoadAsync();

        var summary = (await cluster.Session().Queries.EnteSummariesAsync(cluster.Today.Year, null, 0, IAdminQueryGrain.MaxWindow)).Rows.Single(e => e.EnteId == enteId);

        // The mailbox (active) and the device (valid): two objects on the ente's screen, two in the list.
        Assert.Equal(2, detail.Objects.Count(o => o.Status is "Active" or "DisdettaReceived" or "Valid"));
        Assert.Equal(2, summary.ActiveObjects);
    }
}
