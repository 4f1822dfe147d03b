using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Catalogue;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Contracts.Services;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Pricing;
using NodaTime;

namespace Cst.Actors.Admin.ViewModels;

/// <summary>One mailbox, device or service of the ente as the detail screen lists it.</summary>
public sealed record ObjectRow(ChildKind Kind, string Key, string Status, string Detail, string Next)
{
    /// <summary>The next deadline's date and kind, for the console to write in its language.</summary>
    public DeadlineProgress? Deadline { get; init; }

    /// <summary>The disdetta behind a cessation: the day it was received (mailboxes record it) and its evidence.</summary>
    public LocalDate? DisdettaOn { get; init; }

    public string? DisdettaEvidence { get; init; }

    public string KindText => Kind switch
    {
        ChildKind.PecMailbox => "PEC",
        ChildKind.FirmaDevice => "Firma",
        _ => "Service",
    };
}

/// <summary>An ente in detail: identity, its objects, its notices and the statement of a chosen year.</summary>
public sealed class EnteDetailViewModel(AdminSession session, string enteId)
{
    public string EnteId { get; } = enteId;

    public EnteView? Ente { get; private set; }

    public LocalDate Today { get; private set; }

    public IReadOnlyList<ObjectRow> Objects { get; private set; } = [];

    public ImmutableList<NoticeRow> Notices { get; private set; } = [];

    public int StatementYear { get; private set; }

    public Statement? Statement { get; private set; }

    public string? StatementError { get; private set; }

    /// <summary>How many of the ente's objects <see cref="LoadAsync"/> reads at once.</summary>
    private const int ObjectReads = 8;

    // The three maps below are filled by object reads running at the same time (LoadAsync), hence concurrent.

    /// <summary>Each mailbox's extra space and conservazione in GB today, shown in their dialogs.</summary>
    private readonly ConcurrentDictionary<string, (decimal Space, decimal Conservazione)> _gigabytes = new(StringComparer.Ordinal);

    /// <summary>The consumption components each hosted service can record, for the consumption dialog's pick-list.</summary>
    private readonly ConcurrentDictionary<string, IReadOnlyList<FormChoice>> _consumptionChoices = new(StringComparer.Ordinal);

    /// <summary>Each mailbox's tier today, preselected in the change-tier dialog.</summary>
    private readonly ConcurrentDictionary<string, string> _tiers = new(StringComparer.Ordinal);

    /// <summary>The ente's listino, for the pick-lists of the new-object dialogs.</summary>
    private Listino? _listino;

    private IEnteGrain Grain => session.Grains.GetGrain<IEnteGrain>(EnteId);

    public string Header
    {
        get
        {
            if (Ente is not { } e)
            {
                return EnteId;
            }

            var population = e.Population.OrderByDescending(p => p.Year).FirstOrDefault();
            var parts = new List<string>
            {
                $"{e.Registration.Name} ({e.Registration.Kind} {EnteId})",
                $"adhered {Input.Date(e.Registration.AdheredOn)}",
                population is null ? "population not recorded" : $"population {population.Inhabitants} ({population.Year})",
                $"listino {e.Registration.ListinoId}",
            };
            if (e.WithdrawnOn is { } w)
            {
                parts.Add($"WITHDRAWN {Input.Date(w)}");
            }

            // The second line: who pays, year by year (a payer change takes effect from a billing year).
            return string.Join(" | ", parts) + "\n" + PayerHistory.Describe(e.Payers, e.Registration.AdheredOn.Year);
        }
    }

    public string StatementLine => Statement is { } s
        ? $"Statement {StatementYear}: EUR {Input.Euro(s.Total)} in {s.Lines.Count} line(s)"
        : $"Statement {StatementYear}: {StatementError ?? "not computed"}";

    public async Task LoadAsync(int? year = null)
    {
        Today = await session.TodayAsync();
        StatementYear = year ?? (StatementYear == 0 ? Today.Year : StatementYear);
        var ente = await session.CallAsync($"reading ente {EnteId}", () => Grain.GetAsync());
        var listino = await session.CallAsync("reading the listino",
            () => session.Grains.GetGrain<ICatalogueGrain>(ICatalogueGrain.Key).GetListinoAsync(ente.Registration.ListinoId));
        // An ente of a large comune has a hundred objects: a few read at once, not one after the other (each is one
        // activation on a cold silo), and nothing but the ente's own objects.
        using var gate = new SemaphoreSlim(ObjectReads);
        var rows = (await Task.WhenAll(ente.Children.OrderBy(c => c.Kind).ThenBy(c => c.Key, StringComparer.Ordinal).Select(async child =>
        {
            await gate.WaitAsync();
            try
            {
                return await RowAsync(child, listino);
            }
            finally
            {
                gate.Release();
            }
        }))).ToList();

        Notices = await session.CallAsync("reading the notices", () => session.Queries.NoticesAsync(EnteId, 50));
        Ente = ente;
        Objects = rows;
        _listino = listino;
        await LoadStatementAsync(StatementYear);
    }

    public async Task LoadStatementAsync(int year)
    {
        StatementYear = year;
        try
        {
            Statement = await session.CallAsync($"computing the statement {year}", () => Grain.GetStatementAsync(year));
            StatementError = null;
        }
        catch (Contracts.Errors.CstDomainError e)
        {
            Statement = null;
            StatementError = e.Message;
        }
    }

    private async Task<ObjectRow> RowAsync(ChildRef child, Listino listino)
    {
        switch (child.Kind)
        {
            case ChildKind.PecMailbox:
            {
                var m = await session.CallAsync("reading a mailbox", () => session.Grains.GetGrain<IPecMailboxGrain>(child.Key).GetAsync());
                _gigabytes[child.Key] = (m.ExtraSpaceGb, m.ConservazioneGb);
                _tiers[child.Key] = m.Tier;
                var detail = $"{m.Tier}" + (m.ActivatedOn is { } a ? $" from {Input.Date(a)}" : " requested")
                    + (m.DisdettaReceivedOn is { } d ? $", disdetta {Input.Date(d)} ({m.DisdettaEvidence})" : string.Empty)
                    + (m.EndsOn is { } end ? $", ends {Input.Date(end)}" : string.Empty);
                return new ObjectRow(child.Kind, child.Key, m.Status.ToString(), detail, Next(m.Deadlines))
                {
                    Deadline = m.Deadlines, DisdettaOn = m.DisdettaReceivedOn, DisdettaEvidence = m.DisdettaEvidence,
                };
            }

            case ChildKind.FirmaDevice:
            {
                var f = await session.CallAsync("reading a device", () => session.Grains.GetGrain<IFirmaDeviceGrain>(child.Key).GetAsync());
                var detail = $"{f.Kind} {f.Holder}, expires {Input.Date(f.ExpiresOn)}"
                    + (f.RevokedOn is { } r ? $", revoked {Input.Date(r)} ({f.RevocationReason})" : string.Empty);
                return new ObjectRow(child.Kind, child.Key, f.Status.ToString(), detail, Next(f.Deadlines)) { Deadline = f.Deadlines };
            }

            default:
            {
                var s = await session.CallAsync("reading a service", () => session.Grains.GetGrain<IHostedServiceGrain>(child.Key).GetAsync());
                var sub = s.Subscription;
                var quantity = sub.QuantityChanges.LastOrDefault()?.Quantity ?? sub.Quantity;
                var variant = sub.VariantChanges.LastOrDefault()?.Variant ?? sub.Variant;
                IReadOnlyList<FormChoice> choices = listino.VersionForFact(s.ServiceId, Today)?.FindService(s.ServiceId) is { } service
                    ? [.. Priceability.ConsumptionComponents(service, variant).Select(c => new FormChoice(c.Id,
                        $"{c.Id}: {(c.Price is { } price ? "EUR " + Input.Euro(price) : "on quotation")} per {c.Unit ?? "unit"}"))]
                    : [];
                _consumptionChoices[child.Key] = choices;

                var detail = s.ServiceName + (variant is null ? string.Empty : " " + variant)
                    + $" x{quantity:0.##} from {Input.Date(sub.ActivatedOn)}"
                    + (s.EndsOn is { } end ? $", ends {Input.Date(end)}" : string.Empty);
                return new ObjectRow(child.Kind, child.Key, s.Status.ToString(), detail, Next(s.Deadlines))
                {
                    Deadline = s.Deadlines, DisdettaEvidence = s.DisdettaEvidence,
                };
            }
        }
    }

    private static string Next(DeadlineProgress progress) =>
        progress.ArmedFor is { } on ? $"{Input.Date(on)} {progress.NextKind}" : "-";

    /// <summary>DESIGN rule 14: a change dated after today is a planned one, and its confirmation says so first.</summary>
    private string Planned(FactKind kind, LocalDate on) =>
        FactDates.IsPlannedAhead(kind, on, Today) ? $"Planned change: takes effect on {Input.Date(on)}.\n" : string.Empty;

    /// <summary>A fact that reports what happened, dated after today, is refused in the dialog with the domain's words.</summary>
    private LocalDate Reported(FactKind kind, LocalDate on, string subject) =>
        FactDates.Validate(kind, on, Today, subject) is { Success: false } bad ? throw InputException.Of(bad.Error!, refusedByRule: true) : on;

    // ---- actions on the ente ----

    public ActionForm PopulationForm() => new(
        "Update population",
        [new("Year (1 January)", Today.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("Inhabitants")],
        v =>
        {
            var year = Input.Year(v[0]);
            var inhabitants = Input.Integer(v[1], "Inhabitants", 0, Cst.Actors.Domain.Validation.Guard.MaxInhabitants);
            return new PreparedAction($"Set the population of {EnteId} at 1 January {year} to {inhabitants}?", async () =>
            {
                await session.CallAsync("recording the population", () => Grain.SetPopulationAsync(year, inhabitants, session.Operator));
                return $"Population of {EnteId} at 1 January {year}: {inhabitants}.";
            });
        });

    /// <summary>Edit the ente's identity (name, codice fiscale, adhesion, referente); the confirmation shows the difference.</summary>
    public ActionForm? EditForm() => Ente is { } e ? EntiViewModel.EditForm(session, e) : null;

    /// <summary>Who pays from a billing year on; earlier years (and their statements) keep their payer.</summary>
    public ActionForm PayerForm(IReadOnlyList<FormChoice>? enti = null) => new(
        "Set payer",
        [
            new("Capofila ente key (empty: itself)", Ente?.CapofilaId ?? string.Empty, enti),
            new("From billing year", Today.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ],
        v =>
        {
            var capofila = Input.Optional(v[0]);
            var from = Input.Year(v[1], "From billing year");
            var until = Ente?.CapofilaIn(from - 1) ?? "itself";
            return new PreparedAction(
                (capofila is null ? $"From {from}, {EnteId} pays for itself?" : $"From {from}, {capofila} pays for {EnteId}?")
                + $" Up to {from - 1} the payer stays {until}.",
                async () =>
                {
                    await session.CallAsync("setting the payer", () => Grain.SetPayerAsync(capofila, from, session.Operator));
                    return capofila is null ? $"{EnteId} pays for itself from {from}." : $"{capofila} pays for {EnteId} from {from}.";
                });
        });

    /// <summary>
    /// The payer's dialog with the capofila picked by name from the registered enti (the ente itself first, then the
    /// current capofila, then the others by name), instead of a code typed from memory.
    /// </summary>
    public async Task<ActionForm> PayerFormWithEntiAsync()
    {
        var page = await session.CallAsync("listing the enti",
            () => session.Queries.EnteSummariesAsync(Today.Year, null, 0, Contracts.Admin.IAdminQueryGrain.MaxWindow));
        var current = Ente?.CapofilaId;
        var others = page.Rows.Where(e => e.EnteId != EnteId && e.WithdrawnOn is null)
            .OrderBy(e => e.EnteId == current ? 0 : 1).ThenBy(e => e.Name, StringComparer.CurrentCulture)
            .Select(e => new FormChoice(e.EnteId, $"{e.Name} ({e.EnteId})"));
        return PayerForm([new FormChoice(string.Empty, "(itself)"), .. others]);
    }

    public ActionForm WithdrawForm() => new(
        "Withdraw ente",
        [new("Withdrawn on (first day not a member)", Input.Date(Today))],
        v =>
        {
            var on = Input.Date(v[0], "Withdrawn on");
            return new PreparedAction(
                Planned(FactKind.Withdrawal, on) + $"Withdraw {EnteId} on {Input.Date(on)}? All its mailboxes, devices and services end that day.",
                async () =>
                {
                    await session.CallAsync("withdrawing the ente", () => Grain.WithdrawAsync(on, session.Operator));
                    return $"{EnteId} withdrawn on {Input.Date(on)}.";
                },
                Irreversible: true);
        });

    /// <summary>
    /// The PEC tiers of the ente's listino in force today, each with its yearly price (the annual components of its
    /// variant); empty before the listino is read or when it names no PEC service (the field is then typed).
    /// </summary>
    public IReadOnlyList<FormChoice> TierChoices()
    {
        if (_listino is not { } listino)
        {
            return [];
        }

        PecMailboxService pec;
        try
        {
            pec = CatalogueChecks.PecMailbox(listino, Today);
        }
        catch (UnknownCatalogueItemException)
        {
            return [];
        }

        var service = listino.VersionForFact(pec.ServiceId, Today)?.FindService(pec.ServiceId);
        return [.. pec.Tiers.Select(t =>
        {
            var yearly = service?.ComponentsFor(string.IsNullOrEmpty(t.Variant) ? null : t.Variant)
                .Where(c => c.Kind is ChargeKind.AnnualProRata or ChargeKind.AnnualFullYear && c.Price is not null)
                .Select(c => c.Price!.Value).ToList() ?? [];
            return new FormChoice(t.Name, yearly.Count == 0 ? t.Name : $"{t.Name}: EUR {Input.Euro(yearly.Aggregate((a, b) => a + b))} per year");
        })];
    }

    /// <summary>The services of the listino in force today a hosted service can be (the PEC service has its own dialog), by name.</summary>
    public IReadOnlyList<FormChoice> ServiceChoices() => Services()
        .OrderBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase)
        .Select(s => new FormChoice(s.Id, $"{s.Name} ({s.Id})")).ToList();

    /// <summary>The variants of those services ("" first: a service without variants), each naming its service.</summary>
    public IReadOnlyList<FormChoice> VariantChoices()
    {
        var services = Services();
        return services.Count == 0 ? [] : [new FormChoice(string.Empty, "(none)"),
            .. services.SelectMany(s => s.Variants.Select(v => new FormChoice(v, $"{v} ({s.Id})")))];
    }

    private List<CatalogueService> Services()
    {
        if (_listino?.TryVersionInForceOn(Today) is not { } version)
        {
            return [];
        }

        var pec = version.PecMailbox?.ServiceId ?? PecMailboxService.Disciplinare2020.ServiceId;
        return [.. version.Services.Where(s => s.Id != pec)];
    }

    private static IReadOnlyList<FormChoice>? ListOrTyped(IReadOnlyList<FormChoice> choices) => choices.Count == 0 ? null : choices;

    public ActionForm MailboxForm() => new(
        "Activate PEC mailbox",
        [new("Address"), new("Tier (standard, silver, gold, massiva)", "standard", ListOrTyped(TierChoices()), Open: true), new("Requested on", Input.Date(Today)), new("Activated on", Input.Date(Today))],
        v =>
        {
            var address = Input.Required(v[0], "Address");
            var tier = Input.Required(v[1], "Tier");
            var requested = Input.Date(v[2], "Requested on");
            var activated = Input.Date(v[3], "Activated on");
            return new PreparedAction(Planned(FactKind.Activation, activated) + $"Activate mailbox {address} ({tier}) for {EnteId} on {Input.Date(activated)}?", async () =>
            {
                // One call: the request and the activation are applied together or not at all.
                var grain = session.Grains.GetGrain<IPecMailboxGrain>(address);
                await session.CallAsync("activating the mailbox",
                    () => grain.RequestAndActivateAsync(new PecMailboxRequest(EnteId, tier, requested), activated, session.Operator));
                return $"Mailbox {address} active from {Input.Date(activated)}.";
            });
        });

    public ActionForm DeviceForm() => new(
        "Issue firma device",
        [new("Serial"), new("Kind (BusinessKey, FirmaRemota)", "BusinessKey", [.. Enum.GetNames<Domain.Deadlines.FirmaDeviceKind>().Select(n => new FormChoice(n, n))], Open: true), new("Holder"), new("Issued on", Input.Date(Today))],
        v =>
        {
            var serial = Input.Required(v[0], "Serial");
            var kind = Input.Choice<Domain.Deadlines.FirmaDeviceKind>(v[1], "Kind");
            var holder = Input.Required(v[2], "Holder", Cst.Actors.Domain.Validation.Guard.MaxNameLength);
            var issued = Input.Date(v[3], "Issued on");
            return new PreparedAction($"Issue {kind} {serial} to {holder} of {EnteId} on {Input.Date(issued)}?", async () =>
            {
                var view = await session.CallAsync("issuing the device",
                    () => session.Grains.GetGrain<IFirmaDeviceGrain>(serial).IssueAsync(new FirmaDeviceIssue(EnteId, kind, holder, issued), session.Operator));
                return $"Device {serial} issued; certificates expire on {Input.Date(view.ExpiresOn)}.";
            });
        });

    public ActionForm ServiceForm() => new(
        "Activate service",
        [new("Service id (e.g. s.13)", string.Empty, ListOrTyped(ServiceChoices()), Open: true), new("Label", "1"), new("Variant (optional)", string.Empty, ListOrTyped(VariantChoices()), Open: true), new("Activated on", Input.Date(Today)), new("Quantity", "1"), new("Agreed price EUR (optional)")],
        v =>
        {
            var serviceId = Input.Required(v[0], "Service id");
            var label = Input.Required(v[1], "Label");
            var variant = Input.Optional(v[2]);
            var on = Input.Date(v[3], "Activated on");
            var quantity = Input.Decimal(v[4], "Quantity");
            decimal? price = Input.Optional(v[5]) is { } p ? Input.Decimal(p, "Agreed price", Cst.Actors.Domain.Validation.Guard.MaxAmount) : null;
            var key = HostedServiceKey.For(EnteId, serviceId, label);
            return new PreparedAction(Planned(FactKind.Activation, on) + $"Activate {serviceId} ({key}) x{quantity} on {Input.Date(on)}?", async () =>
            {
                var view = await session.CallAsync("activating the service",
                    () => session.Grains.GetGrain<IHostedServiceGrain>(key).ActivateAsync(new HostedServiceActivation(variant, on, quantity, price), session.Operator));
                return $"Service {view.ServiceName} ({key}) active from {Input.Date(on)}.";
            });
        });

    // ---- actions on the selected object ----

    /// <summary>The disdetta of a mailbox or service, with the evidence of its receipt (protocol number, PEC message id).</summary>
    public ActionForm? DisdettaForm(ObjectRow row) => row.Kind == ChildKind.FirmaDevice ? null : new(
        $"Record disdetta: {row.Key}",
        [new("Received on", Input.Date(Today)), new("Evidence (protocol no., PEC id)")],
        v =>
        {
            var received = Reported(FactKind.DisdettaReceived, Input.Date(v[0], "Received on"), row.Key);
            var evidence = Input.Required(v[1], "Evidence");
            return new PreparedAction($"Record the disdetta of {row.Key} received on {Input.Date(received)} ({evidence})?", async () =>
            {
                LocalDate? ends = row.Kind == ChildKind.PecMailbox
                    ? (await session.CallAsync("recording the disdetta", () => session.Grains.GetGrain<IPecMailboxGrain>(row.Key).ReceiveDisdettaAsync(received, evidence, session.Operator))).EndsOn
                    : (await session.CallAsync("recording the disdetta", () => session.Grains.GetGrain<IHostedServiceGrain>(row.Key).ReceiveDisdettaAsync(received, evidence, session.Operator))).EndsOn;
                // The date first: at 80 columns the message line cuts a long mailbox address, not the date.
                return $"Disdetta recorded, ending on {(ends is { } e ? Input.Date(e) : "-")}: {row.Key}";
            });
        });

    /// <summary>Change the tier of a mailbox, or the quantity of a service.</summary>
    public ActionForm? ChangeForm(ObjectRow row) => row.Kind switch
    {
        ChildKind.PecMailbox => new(
            $"Change tier: {row.Key}",
            [new("Effective on", Input.Date(Today)), new("New tier (standard, silver, gold, massiva)", _tiers.GetValueOrDefault(row.Key, string.Empty), ListOrTyped(TierChoices()), Open: true)],
            v =>
            {
                var on = Input.Date(v[0], "Effective on");
                var tier = Input.Required(v[1], "New tier");
                return new PreparedAction(Planned(FactKind.TierChange, on) + $"Move {row.Key} to {tier} from {Input.Date(on)}?", async () =>
                {
                    await session.CallAsync("changing the tier", () => session.Grains.GetGrain<IPecMailboxGrain>(row.Key).ChangeTierAsync(on, tier, session.Operator));
                    return $"{row.Key} is on {tier} from {Input.Date(on)}.";
                });
            }),
        ChildKind.HostedService => new(
            $"Change quantity: {row.Key}",
            [new("Effective on", Input.Date(Today)), new("New quantity")],
            v =>
            {
                var on = Input.Date(v[0], "Effective on");
                var quantity = Input.Decimal(v[1], "New quantity");
                return new PreparedAction(Planned(FactKind.QuantityChange, on) + $"Set the quantity of {row.Key} to {quantity} from {Input.Date(on)}?", async () =>
                {
                    await session.CallAsync("changing the quantity", () => session.Grains.GetGrain<IHostedServiceGrain>(row.Key).ChangeQuantityAsync(on, quantity, session.Operator));
                    return $"{row.Key}: quantity {quantity} from {Input.Date(on)}.";
                });
            }),
        _ => null,
    };

    /// <summary>The extra space of a mailbox in GB from a date (0 ends it); billed per GB.</summary>
    public ActionForm? SpaceForm(ObjectRow row) => MailboxGigabytesForm(row, "Set extra space", "Extra space GB", "extra space",
        _gigabytes.TryGetValue(row.Key, out var gb) ? gb.Space : null, (grain, on, gb) => grain.SetExtraSpaceAsync(on, gb, session.Operator));

    /// <summary>The conservazione of a mailbox's content in GB from a date (0 ends it); billed per GB.</summary>
    public ActionForm? ConservazioneForm(ObjectRow row) => MailboxGigabytesForm(row, "Set conservazione", "Conservazione GB", "conservazione",
        _gigabytes.TryGetValue(row.Key, out var gb) ? gb.Conservazione : null, (grain, on, gb) => grain.SetConservazioneAsync(on, gb, session.Operator));

    /// <summary>The GB dialog, its field filled with the mailbox's GB today (what the operator changes from).</summary>
    private ActionForm? MailboxGigabytesForm(ObjectRow row, string title, string field, string what, decimal? current,
        Func<IPecMailboxGrain, LocalDate, decimal, Task<PecMailboxView>> set) =>
        row.Kind != ChildKind.PecMailbox ? null : new(
        $"{title}: {row.Key}",
        [new("Effective on", Input.Date(Today)), new($"{field} (0 ends it)", current is { } now ? now.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) : string.Empty)],
        v =>
        {
            var on = Input.Date(v[0], "Effective on");
            var gigabytes = Input.Decimal(v[1], field);
            return new PreparedAction(Planned(FactKind.QuantityChange, on) + $"Set the {what} of {row.Key} to {gigabytes} GB from {Input.Date(on)}?", async () =>
            {
                await session.CallAsync($"setting the {what}", () => set(session.Grains.GetGrain<IPecMailboxGrain>(row.Key), on, gigabytes));
                return gigabytes == 0 ? $"{row.Key}: no {what} from {Input.Date(on)}." : $"{row.Key}: {what} {gigabytes} GB from {Input.Date(on)}.";
            });
        });

    /// <summary>The end of a hosted service on a date agreed otherwise than by a disdetta (a project that closes).</summary>
    public ActionForm? CeaseForm(ObjectRow row) => row.Kind != ChildKind.HostedService ? null : new(
        $"Cease service: {row.Key}",
        [new("Ends on (first day not active)", Input.Date(Today))],
        v =>
        {
            var on = Input.Date(v[0], "Ends on");
            return new PreparedAction(Planned(FactKind.Cessation, on) + $"End {row.Key} on {Input.Date(on)}? It is not active from that day.", async () =>
            {
                await session.CallAsync("ending the service", () => session.Grains.GetGrain<IHostedServiceGrain>(row.Key).CeaseAsync(on, session.Operator));
                return $"{row.Key} ends on {Input.Date(on)}.";
            });
        });

    /// <summary>
    /// Consumption of a hosted service, on a component picked from those the listino prices for it (with price and
    /// unit), so a record the pricing core could not price cannot be typed. Null for a service with nothing to record.
    /// </summary>
    public ActionForm? ConsumptionForm(ObjectRow row) =>
        row.Kind != ChildKind.HostedService || !_consumptionChoices.TryGetValue(row.Key, out var components) || components.Count == 0 ? null : new(
        $"Record consumption: {row.Key}",
        [new("Entry id (work order no.)"), new("Recorded on", Input.Date(Today)), new("Quantity"), new("Component", components[0].Value, components)],
        v =>
        {
            var entry = new ConsumptionEntry(Input.Required(v[0], "Entry id"), Reported(FactKind.Consumption, Input.Date(v[1], "Recorded on"), row.Key),
                Input.Decimal(v[2], "Quantity"), Input.Required(v[3], "Component"));
            return new PreparedAction($"Record {entry.Quantity} {entry.ComponentId} on {Input.Date(entry.RecordedOn)} for {row.Key} (entry {entry.EntryId})?", async () =>
            {
                await session.CallAsync("recording consumption", () => session.Grains.GetGrain<IHostedServiceGrain>(row.Key).RecordConsumptionAsync(entry, session.Operator));
                return $"Consumption {entry.EntryId} recorded for {row.Key}.";
            });
        });

    public ActionForm? RenewForm(ObjectRow row) => row.Kind != ChildKind.FirmaDevice ? null : new(
        $"Renew certificate: {row.Key}",
        [new("Renewed on", Input.Date(Today))],
        v =>
        {
            var on = Reported(FactKind.Renewal, Input.Date(v[0], "Renewed on"), row.Key);
            return new PreparedAction($"Renew the certificates of {row.Key} on {Input.Date(on)}?", async () =>
            {
                var view = await session.CallAsync("renewing the certificate", () => session.Grains.GetGrain<IFirmaDeviceGrain>(row.Key).RenewAsync(on, session.Operator));
                return $"{row.Key} renewed; expires on {Input.Date(view.ExpiresOn)}.";
            });
        });

    public ActionForm? RevokeForm(ObjectRow row) => row.Kind != ChildKind.FirmaDevice ? null : new(
        $"Revoke device: {row.Key}",
        // No reason preselected: a revocation recorded with the wrong reason is worse than one asked for again.
        [new("Revoked on", Input.Date(Today)), new("Reason", string.Empty, [.. Enum.GetNames<RevocationReason>().Select(n => new FormChoice(n, n))])],
        v =>
        {
            var on = Reported(FactKind.Revocation, Input.Date(v[0], "Revoked on"), row.Key);
            var reason = Input.Choice<RevocationReason>(v[1], "Reason");
            return new PreparedAction($"Revoke {row.Key} on {Input.Date(on)} ({reason})?", async () =>
            {
                await session.CallAsync("revoking the device", () => session.Grains.GetGrain<IFirmaDeviceGrain>(row.Key).RevokeAsync(on, reason, session.Operator));
                return $"{row.Key} revoked on {Input.Date(on)}.";
            });
        });
}
