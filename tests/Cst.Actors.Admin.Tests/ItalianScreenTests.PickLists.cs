using Cst.Actors.Admin.Tui.Screens;
using Terminal.Gui.Input;

namespace Cst.Actors.Admin.Tests;

/// <summary>The new-object dialogs pick tier, device kind, service and variant from lists; a letter jumps to its first entry.</summary>
public sealed partial class ItalianScreenTests
{
    [Fact]
    public async Task MailboxDialog_TierPickedFromTheListino_WithItsYearlyPrice_ALetterJumpsToIt()
    {
        var (enteId, _, _, _) = await cluster.NewEnteAsync();
        var address = $"nuova{Guid.NewGuid():N}"[..14] + "@pec.example.it";
        string? dialog = null;
        string? confirmation = null;
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("abitanti 4.321").WaitFor("PEC")
            .Keys((Key)'m').WaitFor("Attiva casella PEC").WaitFor("massiva")
            .Until("the dialog", () => (dialog = harness.Screen).Length > 0)
            // Address, then the tier list: 'g' (the list's own keystroke navigator) selects gold.
            .Type(address).Keys(Key.Tab, (Key)'g', Key.Enter).WaitFor("Conferma")
            .Until("the confirmation", () => (confirmation = harness.Screen).Length > 0)
            .Keys(Key.Esc).WaitFor(It.Cancelled);
        harness.Run(cluster.Session(), main => main.Show(new EnteDetailScreen(main, enteId)));

        // The Disciplinare of October 2020, s.11: standard 7.50, silver 15.00, gold 22.00, massiva 185.00 a year.
        Assert.Contains("standard: EUR 7,50 all'anno", dialog!, StringComparison.Ordinal);
        Assert.Contains("silver: EUR 15,00 all'anno", dialog!, StringComparison.Ordinal);
        Assert.Contains("gold: EUR 22,00 all'anno", dialog!, StringComparison.Ordinal);
        Assert.Contains("massiva: EUR 185,00 all'anno", dialog!, StringComparison.Ordinal);
        Assert.DoesNotContain("(standard, silver", dialog!, StringComparison.Ordinal);
        Assert.Contains($"Attivare la casella PEC {address} (gold)", Plain(confirmation!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TierChangeDialog_TheCurrentTierSelected()
    {
        var (enteId, mailbox, _, _) = await cluster.NewEnteAsync();
        string? confirmation = null;
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("abitanti 4.321").WaitFor("PEC")
            .Keys((Key)'t').WaitFor("gold: EUR 22,00")
            // Enter on the date: the list keeps the mailbox's own tier.
            .Keys(Key.Enter).WaitFor("Conferma")
            .Until("the confirmation", () => (confirmation = harness.Screen).Length > 0)
            .Keys(Key.Esc).WaitFor(It.Cancelled);
        harness.Run(cluster.Session(), main => main.Show(new EnteDetailScreen(main, enteId)));

        var tier = (await cluster.Cluster.Client.GetGrain<Contracts.Pec.IPecMailboxGrain>(mailbox).GetAsync()).Tier;
        Assert.Matches($@"Passare \S+ al taglio {tier} dal", Plain(confirmation!));
    }

    [Fact]
    public async Task DeviceAndServiceDialogs_KindServiceAndVariantFromLists()
    {
        var (enteId, _, _, _) = await cluster.NewEnteAsync();
        string? device = null;
        string? service = null;
        string? jumped = null;
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("abitanti 4.321").WaitFor("PEC")
            .Keys((Key)'v').WaitFor("Consegna dispositivo di firma").WaitFor("FirmaRemota")
            .Until("the device dialog", () => (device = harness.Screen).Length > 0)
            .Keys(Key.Esc).WaitFor(It.Cancelled)
            .Keys((Key)'h').WaitFor("Attiva servizio").WaitFor("(nessuna)")
            .Until("the service dialog", () => (service = harness.Screen).Length > 0)
            // The services listed by name, four rows shown: 'g' scrolls to the first starting with G (s.15).
            .Keys((Key)'g').WaitFor("Global service (s.15)")
            .Until("the jump", () => (jumped = harness.Screen).Length > 0)
            .Keys(Key.Esc).WaitFor(It.Cancelled);
        harness.Run(cluster.Session(), main => main.Show(new EnteDetailScreen(main, enteId)));

        Assert.Contains("BusinessKey", device!, StringComparison.Ordinal);
        Assert.DoesNotContain("(BusinessKey, FirmaRemota)", device!, StringComparison.Ordinal);
        Assert.Contains("Servizio:", service!, StringComparison.Ordinal);
        Assert.DoesNotContain("(es. s.13)", service!, StringComparison.Ordinal);
        Assert.DoesNotContain("(s.11)", service!, StringComparison.Ordinal);
        Assert.Contains("Amministratore di sistema (s.", service!, StringComparison.Ordinal);
        Assert.DoesNotContain("Global service", service!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnteScreen_NextDeadline_AShortKindWordNeverCut_iDescribesIt()
    {
        var (enteId, mailbox, _, _) = await cluster.NewEnteAsync();
        string? screen = null;
        string? row = null;
        var harness = new TuiHarness { Language = It };
        harness
            .WaitFor("abitanti 4.321").WaitFor("PEC")
            .Until("the screen", () => (screen = harness.Screen).Length > 0)
            .Keys((Key)'i').WaitFor("Prossima scadenza:")
            .Until("the row", () => (row = harness.Screen).Length > 0)
            .Keys(Key.Enter).WaitFor(It.EnteKeys);
        harness.Run(cluster.Session(), main => main.Show(new EnteDetailScreen(main, enteId)));

        var pec = screen!.Split('\n').First(l => l.Contains("│PEC", StringComparison.Ordinal) || l.Contains(" PEC ", StringComparison.Ordinal));
        Assert.Matches(@"\d\d/\d\d/\d{4} (avviso|termine|rinnovo|cessa)\s*│", pec);
        Assert.DoesNotContain("termin…", screen, StringComparison.Ordinal);
        // The mailbox's deadline in words: the disdetta's cut-off or the renewal, with the whole address.
        Assert.Matches($@"(disdetta della casella PEC {System.Text.RegularExpressions.Regex.Escape(mailbox)}: entro il \d\d/\d\d/\d{{4}}, altrimenti si rinnova per il \d{{4}}\.|La casella PEC {System.Text.RegularExpressions.Regex.Escape(mailbox)} si rinnova il)",
            Boxed(row!));
    }

    /// <summary>The text inside the heavy-bordered box of the i view, its lines read on (the screen behind left out).</summary>
    private static string Boxed(string screen) => Spaces().Replace(string.Join(" ", screen.Split('\n')
        .Where(l => l.IndexOf('┃', StringComparison.Ordinal) is var a && a >= 0 && l.LastIndexOf('┃') > a)
        .Select(l => l[(l.IndexOf('┃', StringComparison.Ordinal) + 1)..l.LastIndexOf('┃')])), " ");
}
