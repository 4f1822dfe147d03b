using Cst.Actors.Contracts.Import;
using System.Collections.Immutable;
using System.Globalization;
using Cst.Actors.Contracts;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Pricing;
using Cst.Actors.Domain.Validation;
using Cst.Actors.Grains.Infrastructure;
using NodaTime;

namespace Cst.Actors.Grains;

/// <summary>The stored record of a PEC mailbox. Never renumber the ids.</summary>
[GenerateSerializer, Immutable, Alias("cst.PecMailboxState")]
public sealed record PecMailboxState : IOwnedObjectState<PecMailboxState>
{
    [Id(0)] public string EnteId { get; init; } = string.Empty;

    /// <summary>The request date, activation, disdetta and cessation (null until requested).</summary>
    [Id(1)] public ServiceLifecycle? Lifecycle { get; init; }

    /// <summary>The variant of the PEC service at activation (pec-standard...; pec-personalizzate for a pack mailbox; "" when the service has none).</summary>
    [Id(2)] public string Variant { get; init; } = string.Empty;

    [Id(3)] public ImmutableList<VariantChange> TierChanges { get; init; } = [];

    /// <summary>Extra space in GB from each date on (0 ends it).</summary>
    [Id(4)] public ImmutableList<QuantityChange> ExtraSpace { get; init; } = [];

    /// <summary>Conservazione in GB from each date on (0 ends it).</summary>
    [Id(5)] public ImmutableList<QuantityChange> Conservazione { get; init; } = [];

    [Id(6)] public string? PackId { get; init; }

    [Id(7)] public long Version { get; init; }

    [Id(8)] public DeadlineProgress Deadlines { get; init; } = DeadlineProgress.None;

    /// <summary>The listino's PEC mailbox service the mailbox is a subscription of (empty in records before it was kept: s.11).</summary>
    [Id(9)] public string ServiceId { get; init; } = string.Empty;

    /// <summary>The tier names of the listino, by variant ("" for a service without variants), to show the tier by name.</summary>
    [Id(10)] public ImmutableDictionary<string, string> TierNames { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The service billing the mailbox.</summary>
    public string BilledService => ServiceId.Length == 0 ? CatalogueChecks.PecServiceId : ServiceId;

    public bool Exists => Lifecycle is not null;

    public PecMailboxState WithBookkeeping(long version, DeadlineProgress deadlines) =>
        this with { Version = version, Deadlines = deadlines };

    /// <summary>The audit rows of the last change until they are written (<see cref="OwnedObjectGrain{TState}"/>).</summary>
    [Id(11)] public ImmutableList<AuditEntry> PendingAudit { get; init; } = [];

    public PecMailboxState WithPendingAudit(ImmutableList<AuditEntry> pending) => this with { PendingAudit = pending };
}

/// <summary>
/// A PEC mailbox: requested, active from its activation date, a disdetta received, ceased on the effect date; renews
/// every 1 January meanwhile. Tier, extra space and conservazione change over time; a mailbox of a custom-domain pack
/// is billed by the pack. Its deadlines are those of an annual subscription (<see cref="AnnualSubscription"/>).
/// </summary>
[GrainType("pecmailbox")]
[CollectionAgeLimit(Minutes = OwnedObjectCollection.AgeMinutes)]
public sealed class PecMailboxGrain(
    [PersistentState("pecmailbox", StorageNames.Default)] IPersistentState<PecMailboxState> state,
    GrainServices services)
    : OwnedObjectGrain<PecMailboxState>(state, services), IPecMailboxGrain
{
    private const string StateStorageName = "pecmailbox";

    protected override string StateName => StateStorageName;

    protected override ChildKind Kind => ChildKind.PecMailbox;

    protected override string AuditObject => "pec:" + Key;

    protected override string Subject => "PEC mailbox " + Key;

    public Task<ImportedChild> ImportAsync(string enteId, ImportMailbox mailbox, string operatorName) =>
        ApplyAsOneAsync(() => ImportSteps.MailboxAsync(this, enteId, mailbox, operatorName));

    public async Task<PecMailboxView> RequestAsync(PecMailboxRequest request, string operatorName)
    {
        ArgumentNullException.ThrowIfNull(request);
        var op = BusinessTime.Operator(operatorName);
        var address = PecAddress.Parse(Key);
        if (address.Value != Key)
        {
            throw new InvalidPecAddressException(Key,
                $"PEC mailbox {Key} must be addressed by its lower-case form {address.Value}");
        }

        var membership = await MembershipAsync(request.EnteId);
        var listino = await Services.Catalogue.GetAsync(membership.ListinoId);

        // The listino says which of its services is the PEC mailbox service and which variants are its tiers.
        var pec = CatalogueChecks.PecMailbox(listino, request.RequestedOn);
        var variant = CatalogueChecks.PecTierVariant(listino.Id, pec, request.Tier);
        if (request.CustomDomainPackId is { } pack)
        {
            if (!string.Equals(pec.Find(request.Tier)?.Name, "standard", StringComparison.OrdinalIgnoreCase))
            {
                throw new IllegalTransitionException(Subject, "request",
                    $"{Subject} belongs to custom-domain pack {pack}, whose mailboxes are on the standard contract; tier '{request.Tier}' is refused");
            }

            variant = CatalogueChecks.CustomDomainPackVariant;
        }

        CatalogueChecks.Service(listino, pec.ServiceId, variant, request.RequestedOn);
        var wanted = new PecMailboxState
        {
            EnteId = request.EnteId,
            ServiceId = pec.ServiceId,
            TierNames = NamesOf(pec),
            Lifecycle = ServiceLifecycle.Request(Subject, request.RequestedOn),
            Variant = variant,
            PackId = string.IsNullOrWhiteSpace(request.CustomDomainPackId) ? null : request.CustomDomainPackId.Trim(),
        };
        if (State.Exists)
        {
            if (State.EnteId == wanted.EnteId && State.Lifecycle!.RequestedOn == wanted.Lifecycle.RequestedOn
                && State.Variant == wanted.Variant && State.PackId == wanted.PackId && State.BilledService == wanted.ServiceId)
            {
                return View();
            }

            throw new IllegalTransitionException(Subject, "request",
                $"{Subject} was already requested on {Iso(State.Lifecycle!.RequestedOn)} for ente {State.EnteId} ({Summarize(State)}); "
                + "a different request for the same address is refused")
            {
                Code = RefusalCode.PecAlreadyRequested, Args = [Subject, Iso(State.Lifecycle!.RequestedOn), State.EnteId, Summarize(State)],
            };
        }

        await CommitAsync(wanted, "request", op);
        return View();
    }

    public async Task<PecMailboxView> RequestAndActivateAsync(PecMailboxRequest request, LocalDate activatedOn, string operatorName)
    {
        ArgumentNullException.ThrowIfNull(request);
        await ApplyAsOneAsync(async () =>
        {
            await RequestAsync(request, operatorName);
            await ActivateAsync(activatedOn, operatorName);
        }, attach: true);
        return View();
    }

    public async Task<PecMailboxView> ActivateAsync(LocalDate on, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        var membership = await MembershipAsync(State.EnteId);
        var lifecycle = State.Lifecycle!.WithActivation(on, membership.AdheredOn);
        return await ApplyAsync(State with { Lifecycle = lifecycle }, "activate", op);
    }

    public async Task<PecMailboxView> ChangeTierAsync(LocalDate effectiveOn, string tier, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        if (State.PackId is { } pack)
        {
            throw new IllegalTransitionException(Subject, "tier change",
                $"{Subject} belongs to custom-domain pack {pack} and is billed by the pack; its tier cannot change");
        }

        var listino = await Services.Catalogue.GetAsync((await MembershipAsync(State.EnteId)).ListinoId);
        var pec = CatalogueChecks.PecMailbox(listino, effectiveOn);
        var variant = CatalogueChecks.PecTierVariant(listino.Id, pec, tier);
        if (pec.ServiceId != State.BilledService)
        {
            throw new IllegalTransitionException(Subject, "tier change",
                $"{Subject} is a subscription of service {State.BilledService}, but listino {listino.Id} names {pec.ServiceId} as its PEC service on {Iso(effectiveOn)}; "
                + "its tier cannot change to another service's");
        }

        State.Lifecycle!.CheckActiveOn(effectiveOn, "tier change");

        // The tier must be offered on the day it takes effect, or the statements of that year could not price it.
        CatalogueChecks.Service(listino, pec.ServiceId, variant, effectiveOn);
        var existing = State.TierChanges.FirstOrDefault(c => c.EffectiveOn == effectiveOn);
        if (existing?.Variant == variant || (existing is null && TierOn(State.Variant, State.TierChanges, effectiveOn) == variant))
        {
            return View();
        }

        // A change on the activation day is the tier the mailbox starts on.
        var named = State with { TierNames = State.TierNames.SetItems(NamesOf(pec)) };
        var next = effectiveOn == State.Lifecycle.ActivatedOn
            ? named with { Variant = variant }
            : named with
            {
                TierChanges = State.TierChanges.RemoveAll(c => c.EffectiveOn == effectiveOn)
                    .Add(new VariantChange(effectiveOn, variant))
                    .Sort((a, b) => a.EffectiveOn.CompareTo(b.EffectiveOn)),
            };
        return await ApplyAsync(next, "change tier", op);
    }

    public Task<PecMailboxView> SetExtraSpaceAsync(LocalDate effectiveOn, decimal gigabytes, string operatorName) =>
        SetQuantityAsync(effectiveOn, gigabytes, operatorName, "extra space in GB", s => s.ExtraSpace,
            (s, list) => s with { ExtraSpace = list }, CatalogueChecks.ExtraSpaceVariant);

    public Task<PecMailboxView> SetConservazioneAsync(LocalDate effectiveOn, decimal gigabytes, string operatorName) =>
        SetQuantityAsync(effectiveOn, gigabytes, operatorName, "conservazione in GB", s => s.Conservazione,
            (s, list) => s with { Conservazione = list }, CatalogueChecks.ConservazioneVariant);

    public Task<PecMailboxView> ReceiveDisdettaAsync(LocalDate receivedOn, string evidence, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        FactDates.Check(FactKind.DisdettaReceived, receivedOn, Today, Subject);
        var lifecycle = State.Lifecycle!.WithDisdetta(receivedOn, evidence);
        return ApplyAsync(State with { Lifecycle = lifecycle }, "disdetta", op);
    }

    public async Task<ChildSnapshot> EndForWithdrawalAsync(LocalDate on, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        var lifecycle = State.Lifecycle!.WithCessation(on);
        if (lifecycle == State.Lifecycle)
        {
            return SnapshotOf(State);
        }

        return await CommitAsync(State with { Lifecycle = lifecycle }, "end for withdrawal", op, tellEnte: false);
    }

    public Task<PecMailboxView> GetAsync()
    {
        EnsureExists();
        return Task.FromResult(View());
    }

    public async Task<PecMailboxView> HandleDeadlinesAsync()
    {
        EnsureExists();
        await HandleDueDeadlinesAsync(verifyReminder: true);
        return View();
    }

    protected override IDeadlineSchedule? ScheduleOf(PecMailboxState state) => state.Lifecycle?.Schedule;

    protected override string? PackIdOf(PecMailboxState state) => state.PackId;

    /// <summary>
    /// The mailbox as the pricing core bills it: the mailbox itself on its tier (variant changes for tier changes), and
    /// extra space and conservazione as subscriptions of their own, per GB, from the first day they are above zero. All
    /// end when the mailbox ends.
    /// </summary>
    protected override ImmutableList<Subscription> SubscriptionsOf(PecMailboxState state)
    {
        if (state.Lifecycle is not { ActivatedOn: { } activated } lifecycle)
        {
            return [];
        }

        var result = ImmutableList.Create(new Subscription(Key, state.BilledService, activated)
        {
            // A service without variants (CIT Brescia's pec) is subscribed without one.
            Variant = state.Variant.Length == 0 ? null : state.Variant,
            VariantChanges = state.TierChanges,
            DisdettaReceivedOn = lifecycle.DisdettaReceivedOn,
            CeasedOn = lifecycle.CeasedOn,
        });
        result = AddQuantitySubscription(result, state, lifecycle, state.ExtraSpace, CatalogueChecks.ExtraSpaceVariant);
        return AddQuantitySubscription(result, state, lifecycle, state.Conservazione, CatalogueChecks.ConservazioneVariant);
    }

    protected override string Summarize(PecMailboxState state)
    {
        if (state.Lifecycle is not { } l)
        {
            return "not requested";
        }

        var parts = new List<string>
        {
            $"ente {state.EnteId}",
            $"tier {TierName(state, TierOn(state.Variant, state.TierChanges, LocalDate.MaxIsoValue))}",
            $"status {l.StatusOn(Today)}",
            $"requested {Iso(l.RequestedOn)}",
        };
        if (l.ActivatedOn is { } a)
        {
            parts.Add($"active from {Iso(a)}");
        }

        if (l.DisdettaReceivedOn is { } d)
        {
            parts.Add($"disdetta {Iso(d)} ({l.DisdettaEvidence})");
        }

        if (l.EndsOn is { } e)
        {
            parts.Add($"ends {Iso(e)}");
        }

        if (state.ExtraSpace.Count > 0)
        {
            parts.Add($"extra space {Number(state.ExtraSpace[^1].Quantity)} GB");
        }

        if (state.Conservazione.Count > 0)
        {
            parts.Add($"conservazione {Number(state.Conservazione[^1].Quantity)} GB");
        }

        if (state.PackId is { } p)
        {
            parts.Add($"pack {p}");
        }

        return string.Join("; ", parts);
    }

    private async Task<PecMailboxView> ApplyAsync(PecMailboxState next, string action, string op)
    {
        if (next == State)
        {
            return View();
        }

        await CommitAsync(next, action, op);
        return View();
    }

    private async Task<PecMailboxView> SetQuantityAsync(LocalDate effectiveOn, decimal gigabytes, string operatorName,
        string field, Func<PecMailboxState, ImmutableList<QuantityChange>> get,
        Func<PecMailboxState, ImmutableList<QuantityChange>, PecMailboxState> set, string variant)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        Guard.Quantity(gigabytes, $"{field} of {Subject}");
        State.Lifecycle!.CheckActiveOn(effectiveOn, $"change of {field}");
        var current = get(State);
        var existing = current.FirstOrDefault(c => c.EffectiveOn == effectiveOn);
        if (existing is not null && existing.Quantity == gigabytes)
        {
            return View();
        }

        // The listino must price the space on the day it starts, or that year's statements could not.
        if (gigabytes > 0)
        {
            var listinoId = (await MembershipAsync(State.EnteId)).ListinoId;
            CatalogueChecks.Service(await Services.Catalogue.GetAsync(listinoId), State.BilledService, variant, effectiveOn);
        }

        var list = current.RemoveAll(c => c.EffectiveOn == effectiveOn).Add(new QuantityChange(effectiveOn, gigabytes))
            .Sort((a, b) => a.EffectiveOn.CompareTo(b.EffectiveOn));
        return await ApplyAsync(set(State, list), $"set {field}", op);
    }

    private ImmutableList<Subscription> AddQuantitySubscription(ImmutableList<Subscription> result, PecMailboxState state,
        ServiceLifecycle lifecycle, ImmutableList<QuantityChange> changes, string variant)
    {
        var first = changes.FirstOrDefault(c => c.Quantity > 0);
        if (first is null)
        {
            return result;
        }

        var end = lifecycle.EndsOn;
        if (end is { } e && first.EffectiveOn >= e)
        {
            return result;
        }

        return result.Add(new Subscription($"{Key}#{variant}", state.BilledService, first.EffectiveOn)
        {
            Variant = variant,
            Quantity = first.Quantity,
            QuantityChanges = [.. changes.Where(c => c.EffectiveOn > first.EffectiveOn && (end is not { } x || c.EffectiveOn < x))],
            CeasedOn = end,
        });
    }

    private PecMailboxView View()
    {
        var s = State;
        var l = s.Lifecycle!;
        return new PecMailboxView(Key, s.EnteId, TierName(s, TierOn(s.Variant, s.TierChanges, Today)), l.StatusOn(Today),
            l.RequestedOn, l.ActivatedOn, l.DisdettaReceivedOn, l.DisdettaEvidence, l.EndsOn,
            QuantityOn(s.ExtraSpace, Today), QuantityOn(s.Conservazione, Today), s.PackId, SubscriptionsOf(s), s.Deadlines);
    }

    private static string TierOn(string variant, ImmutableList<VariantChange> changes, LocalDate day) =>
        changes.LastOrDefault(c => c.EffectiveOn <= day)?.Variant ?? variant;

    private static string TierName(PecMailboxState state, string variant) =>
        state.TierNames.TryGetValue(variant, out var name) ? name
            : CatalogueChecks.PecTiers.FirstOrDefault(t => t.Value == variant).Key ?? variant;

    private static ImmutableDictionary<string, string> NamesOf(PecMailboxService pec) =>
        pec.Tiers.ToImmutableDictionary(t => t.Variant ?? string.Empty, t => t.Name, StringComparer.Ordinal);

    private static decimal QuantityOn(ImmutableList<QuantityChange> changes, LocalDate day) =>
        changes.LastOrDefault(c => c.EffectiveOn <= day)?.Quantity ?? 0m;

    private static string Iso(LocalDate date) => NodaTime.Text.LocalDatePattern.Iso.Format(date);

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
