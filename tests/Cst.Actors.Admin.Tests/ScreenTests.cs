using Cst.Actors.Admin.Tui.Screens;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Pec;
using NodaTime;
using Terminal.Gui.Input;

namespace Cst.Actors.Admin.Tests;

/// <summary>Headless view tests: each screen opened at 80x24, dialogs driven by keys, the cluster checked after.</summary>
[Collection(AdminCollection.Name)]
public sealed class ScreenTests(AdminCluster cluster)
{
    [Fact]
    public async Task EntiScreen_SearchOpensEnte_DisdettaDialogRefusesMissingEvidenceThenRecordsIt()
    {
        var (enteId, mailbox, _, name) = await cluster.NewEnteAsync();
        var harness = new TuiHarness();
        harness
            .WaitFor("Enti:")
            .Keys((Key)'/').Type(name).WaitFor("1 shown")
            .Keys(Key.Enter, Key.Enter).WaitFor("population 4321")
            .WaitFor("PEC")
            .Keys((Key)'d').WaitFor("Record disdetta")
            // Evidence left empty: the dialog stays open with the reason.
            .Keys(Key.Enter).WaitFor("Evidence is required.")
            .Keys(Key.Tab).Type("PROT-2026-0042").Keys(Key.Enter).WaitFor("Confirm")
            .Keys(Key.Enter).WaitFor("Disdetta recorded")
            .WaitFor("DisdettaReceived");
        var screen = harness.Run(cluster.Session(), main => main.Show(new EntiScreen(main)));

        Assert.Contains("ending on 2027-01-01", harness.Main.Message, StringComparison.Ordinal);
        Assert.Contains("F2 Enti", screen, StringComparison.Ordinal);
        var view = await cluster.Cluster.Client.GetGrain<IPecMailboxGrain>(mailbox).GetAsync();
        Assert.Equal(cluster.Today, view.DisdettaReceivedOn);
        Assert.Equal("PROT-2026-0042", view.DisdettaEvidence);
        var audit = await cluster.ReadAsync("SELECT operator || ' ' || action FROM audit WHERE object LIKE '%' || $1 ORDER BY id", mailbox);
        Assert.Contains(audit, a => a.StartsWith(AdminCluster.Operator + " ", StringComparison.Ordinal) && a.Contains("isdetta", StringComparison.OrdinalIgnoreCase));
        Assert.True((await cluster.Cluster.Client.GetGrain<IEnteGrain>(enteId).ExistsAsync()));
    }

    [Fact]
    public async Task EntiScreen_AddEnte_RefusesComuneWithoutIstatThenRegistersIt()
    {
        var istat = AdminCluster.NewIstatCode();
        var name = "Comune di " + AdminCluster.Unique("Nuovo");
        var harness = new TuiHarness();
        harness
            .WaitFor("Enti:")
            .Keys((Key)'a').WaitFor("Add ente")
            .Type(name).Keys(Key.Enter).WaitFor("a Comune is identified by its ISTAT code")
            .Keys(Key.Tab, Key.Tab).Type(istat).Keys(Key.Enter).WaitFor("Confirm")
            .Keys(Key.Enter).WaitFor($"Ente {istat}")
            .WaitFor(name);
        harness.Run(cluster.Session(), main => main.Show(new EntiScreen(main)));

        var ente = await cluster.Cluster.Client.GetGrain<IEnteGrain>(istat).GetAsync();
        Assert.Equal(name, ente.Registration.Name);
        Assert.Equal(cluster.Today, ente.Registration.AdheredOn);
    }

    [Fact]
    public async Task EntiScreen_AddEnteWithAnExistingKey_IsRefusedNamingIt_ThenEditConfirmsTheDifference()
    {
        var (enteId, _, _, name) = await cluster.NewEnteAsync();
        var harness = new TuiHarness();
        harness
            .WaitFor("Enti:")
            .Keys((Key)'a').WaitFor("Add ente")
            .Type("Comune di Prova").Keys(Key.Tab, Key.Tab).Type(enteId).Keys(Key.Enter).WaitFor("Confirm")
            .Keys(Key.Enter).WaitFor("use edit")
            // The edit dialog of the same ente: a new name; the confirmation shows the field's old and new value.
            .Keys((Key)'/').Type(name).WaitFor("1 shown")
            .Keys(Key.Enter).Keys((Key)'e').WaitFor($"Edit ente {enteId}")
            .Keys([.. Enumerable.Repeat(Key.Backspace, name.Length)]).Type("Abanoterme").Keys(Key.Enter).WaitFor("Confirm")
            .WaitFor("'Abanoterme'").WaitFor("→")
            .Keys(Key.Enter).WaitFor($"Ente {enteId} changed");
        var screen = harness.Run(cluster.Session(), main => main.Show(new EntiScreen(main)));

        Assert.Contains($"Ente {enteId} changed: name '{name}' → 'Abanoterme'", harness.Main.Message, StringComparison.Ordinal);
        Assert.Contains("Abanoterme", screen, StringComparison.Ordinal);
        var ente = await cluster.Cluster.Client.GetGrain<IEnteGrain>(enteId).GetAsync();
        Assert.Equal("Abanoterme", ente.Registration.Name);
        Assert.Equal(new LocalDate(2023, 1, 1), ente.Registration.AdheredOn);
        Assert.Equal(
            [$"register", $"edit name '{name}' => name 'Abanoterme'"],
            await cluster.ReadAsync("SELECT action || coalesce(' ' || CASE WHEN action = 'edit' THEN before_summary || ' => ' || after_summary END, '') FROM audit WHERE object = $1 AND action IN ('register', 'edit') ORDER BY id", "ente:" + enteId));
    }

    [Fact]
    public async Task DeadlinesScreen_ListsExpiryAndDisdettaDeadlines_EscDoesNotQuit()
    {
        var (_, mailbox, device, _) = await cluster.NewEnteAsync();
        var harness = new TuiHarness();
        harness
            .WaitFor("Deadlines in the next 30 days")
            .Keys((Key)'n').WaitFor("Days ahead").Keys(Key.Backspace, Key.Backspace).Type("45").Keys(Key.Enter)
            .WaitFor("Deadlines in the next 45 days")
            .Keys(Key.Esc).WaitFor("Deadlines in the next 45 days");
        var screen = harness.Run(cluster.Session(), main => main.Show(new DeadlinesScreen(main)));

        var rows = (await cluster.Session().Queries.DeadlinesAsync(45, null, null, [], 0, IAdminQueryGrain.MaxWindow)).Rows;
        Assert.Contains(rows, d => d.Object == device && d.Due == new LocalDate(2026, 12, 1) && d.Kind == Domain.Deadlines.DeadlineKind.Expiry);
        Assert.Contains(rows, d => d.Object == mailbox && d.Due == new LocalDate(2026, 12, 31) && d.Kind == Domain.Deadlines.DeadlineKind.DisdettaDeadline);
        Assert.Contains("2026-12-01", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadlinesScreen_Filter_ShowsOnlyTheMailboxDeadlines()
    {
        var (_, mailbox, device, _) = await cluster.NewEnteAsync();
        var harness = new TuiHarness();
        harness
            .WaitFor("Deadlines in the next 30 days")
            .Keys((Key)'n').WaitFor("Days ahead").Keys(Key.Backspace, Key.Backspace).Type("45").Keys(Key.Enter)
            .WaitFor("Deadlines in the next 45 days")
            .Keys((Key)'/').WaitFor("Filter deadlines").Type(mailbox).Keys(Key.Enter)
            .WaitFor("matching");
        var screen = harness.Run(cluster.Session(), main => main.Show(new DeadlinesScreen(main)));

        var expected = (await cluster.Session().Queries.DeadlinesAsync(45, null, null, [], 0, IAdminQueryGrain.MaxWindow)).Rows.Count(d => d.Object == mailbox);
        Assert.Contains($": {expected} of ", screen, StringComparison.Ordinal);
        Assert.Contains("DisdettaDeadline", screen, StringComparison.Ordinal);
        Assert.DoesNotContain(device, screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BillingScreen_PreviewRunsWithProgressAndShowsTotals()
    {
        await cluster.NewEnteAsync();
        var harness = new TuiHarness();
        harness
            .WaitFor("2026 preview")
            .Keys((Key)'p').WaitFor("Confirm").Keys(Key.Enter)
            .WaitFor("Totals: EUR");
        var screen = harness.Run(cluster.Session(), main => main.Show(new BillingScreen(main)));

        Assert.Contains("Completed", screen, StringComparison.Ordinal);
        var rows = await cluster.ReadAsync("SELECT status FROM billing_run WHERE year = 2026 LIMIT 1");
        Assert.NotEmpty(rows);
    }

    [Fact]
    public async Task NoticesAuditCatalogue_OpenWithTheirRows()
    {
        var (_, mailbox, _, _) = await cluster.NewEnteAsync();
        var harness = new TuiHarness();
        harness
            .WaitFor("Audit log")
            .Keys((Key)'f').WaitFor("Filter the audit log").Type(mailbox[..12]).Keys(Key.Enter)
            .WaitFor("1 audit row(s)".Length > 0 ? "matching" : string.Empty)
            .Keys(Key.F5).WaitFor("Notices (latest")
            .Keys(Key.F7).WaitFor("Catalogue:")
            .WaitFor("cst-padova")
            .WaitFor("adopted: ");
        harness.Run(cluster.Session(), main => main.Show(new AuditScreen(main)));
    }
    [Fact]
    public async Task EnteDetail_ConsumptionDialog_OffersTheComponentsAsAList_AndRecordsThePickedOne()
    {
        // s.15 Global Service has two consumption components: the dialog lists both with price and unit, and the
        // second one picked with the arrow is what the grain records (so a record without its component cannot be typed).
        var (enteId, _, _, name) = await cluster.NewEnteAsync();
        var key = Contracts.Services.HostedServiceKey.For(enteId, "s.15", "1");
        await cluster.Cluster.Client.GetGrain<Contracts.Services.IHostedServiceGrain>(key)
            .ActivateAsync(new Contracts.Services.HostedServiceActivation(null, new LocalDate(2025, 1, 1), 1m, null), AdminCluster.Operator);
        var harness = new TuiHarness();
        harness
            .WaitFor("Enti:")
            .Keys((Key)'/').Type(name).WaitFor("1 shown")
            .Keys(Key.Enter, Key.Enter).WaitFor("population 4321")
            .WaitFor("Service")
            .Keys(Key.CursorDown, Key.CursorDown, (Key)'c').WaitFor("Record consumption")
            .WaitFor("giornata-base: EUR 288.00 per giornata")
            .Type("WO-2026-0042").Keys(Key.Tab, Key.Tab).Type("2").Keys(Key.Tab, Key.CursorDown, Key.Enter).WaitFor("Confirm")
            .WaitFor("giornata-avanzato")
            .Keys(Key.Enter).WaitFor("Consumption WO-2026-0042 recorded");
        harness.Run(cluster.Session(), main => main.Show(new EntiScreen(main)));

        var view = await cluster.Cluster.Client.GetGrain<Contracts.Services.IHostedServiceGrain>(key).GetAsync();
        var entry = Assert.Single(view.Consumption);
        Assert.Equal(("WO-2026-0042", 2m, "giornata-avanzato"), (entry.EntryId, entry.Quantity, entry.ComponentId));
    }
}
