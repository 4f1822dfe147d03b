using Cst.Actors.Contracts.Import;
using System.Collections.Immutable;
using System.Globalization;
using Cst.Actors.Contracts;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Services;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Catalogue;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Pricing;
using Cst.Actors.Domain.Validation;
using Cst.Actors.Grains.Infrastructure;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Grains;

/// <summary>The stored record of a hosted service. Never renumber the ids.</summary>
[GenerateSerializer, Immutable, Alias("cst.HostedServiceState")]
public sealed record HostedServiceState : IOwnedObjectState<HostedServiceState>
{
    [Id(0)] public string EnteId { get; init; } = string.Empty;

    [Id(1)] public string ServiceId { get; init; } = string.Empty;

    [Id(2)] public string ServiceName { get; init; } = string.Empty;

    [Id(3)] public string? Variant { get; init; }

    /// <summary>Activation, disdetta and cessation; null until activated.</summary>
    [Id(4)] public ServiceLifecycle? Lifecycle { get; init; }

    [Id(5)] public decimal Quantity { get; init; }

    [Id(6)] public ImmutableList<QuantityChange> QuantityChanges { get; init; } = [];

    [Id(7)] public decimal? AgreedPrice { get; init; }

    [Id(8)] public ImmutableList<ConsumptionEntry> Consumption { get; init; } = [];

    /// <summary>Whether the service renews every 1 January (it has an annual charge) and so has disdetta deadlines.</summary>
    [Id(9)] public bool Renews { get; init; }

    [Id(10)] public long Version { get; init; }

    [Id(11)] public DeadlineProgress Deadlines { get; init; } = DeadlineProgress.None;

    public bool Exists => Lifecycle is not null;

    public HostedServiceState WithBookkeeping(long version, DeadlineProgress deadlines) =>
        this with { Version = version, Deadlines = deadlines };

    /// <summary>The audit rows of the last change until they are written (<see cref="OwnedObjectGrain{TState}"/>).</summary>
    [Id(12)] public ImmutableList<AuditEntry> PendingAudit { get; init; } = [];

    public HostedServiceState WithPendingAudit(ImmutableList<AuditEntry> pending) => this with { PendingAudit = pending };
}

/// <summary>
/// Any other catalogue service an ente takes (hosting, antivirus, conservazione, Global Service...), keyed
/// <c>{enteId}/{serviceId}/{label}</c>: activated with a variant and a quantity, the quantity changing over time,
/// consumption recorded with dates, the agreed price of on-quotation services, a disdetta or a cessation. A service
/// with an annual charge renews every 1 January and has the disdetta deadlines; others only their cessation.
/// </summary>
[GrainType("hostedservice")]
[CollectionAgeLimit(Minutes = OwnedObjectCollection.AgeMinutes)]
public sealed class HostedServiceGrain(
    [PersistentState("hostedservice", StorageNames.Default)] IPersistentState<HostedServiceState> state,
    GrainServices services)
    : OwnedObjectGrain<HostedServiceState>(state, services), IHostedServiceGrain
{
    private const string StateStorageName = "hostedservice";

    protected override string StateName => StateStorageName;

    protected override ChildKind Kind => ChildKind.HostedService;

    protected override string AuditObject => "service:" + Key;

    protected override string Subject => $"service {Key}";

    /// <remarks>The ente is the one of the grain's key; <paramref name="enteId"/> must be it.</remarks>
    public Task<ImportedChild> ImportAsync(string enteId, ImportService service, string operatorName) =>
        ParseKey().EnteId == enteId
            ? ApplyAsOneAsync(() => ImportSteps.ServiceAsync(this, service, operatorName))
            : throw new IllegalTransitionException(Subject, "import", $"{Subject} belongs to ente {ParseKey().EnteId}, not {enteId}");

    public async Task<HostedServiceView> ActivateAsync(HostedServiceActivation activation, string operatorName)
    {
        ArgumentNullException.ThrowIfNull(activation);
        var op = BusinessTime.Operator(operatorName);
        var (enteId, serviceId, _) = ParseKey();
        Guard.Quantity(activation.Quantity, $"quantity of {Subject}");
        if (activation.AgreedPrice is { } price)
        {
            Guard.Amount(price, $"agreed price of {Subject}");
        }

        var membership = await MembershipAsync(enteId);
        var listino = await Services.Catalogue.GetAsync(membership.ListinoId);
        var variant = string.IsNullOrWhiteSpace(activation.Variant) ? null : activation.Variant.Trim();
        var service = CatalogueChecks.Service(listino, serviceId, variant, activation.ActivatedOn);
        CheckAgreedPrice(service, variant, activation.AgreedPrice);
        Priceability.CheckQuantity(service, variant, activation.Quantity, Subject);
        var lifecycle = ServiceLifecycle.Request(Subject, activation.ActivatedOn)
            .WithActivation(activation.ActivatedOn, membership.AdheredOn);
        var wanted = new HostedServiceState
        {
            EnteId = enteId,
            ServiceId = service.Id,
            ServiceName = service.Name,
            Variant = variant,
            Lifecycle = lifecycle,
            Quantity = activation.Quantity,
            AgreedPrice = activation.AgreedPrice,
            Renews = CatalogueChecks.Renews(service),
        };
        if (State.Exists)
        {
            if (State.Variant == wanted.Variant && State.Lifecycle!.ActivatedOn == activation.ActivatedOn
                && State.Quantity == wanted.Quantity && State.AgreedPrice == wanted.AgreedPrice)
            {
                return View();
            }

            throw new IllegalTransitionException(Subject, "activation",
                $"{Subject} is already active ({Summarize(State)}); use a quantity change, a new agreed price or another label");
        }

        await CommitAsync(wanted, "activate", op);
        return View();
    }

    public async Task<HostedServiceView> ChangeQuantityAsync(LocalDate effectiveOn, decimal quantity, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        Guard.Quantity(quantity, $"quantity of {Subject}");
        State.Lifecycle!.CheckActiveOn(effectiveOn, "quantity change");
        var service = CatalogueChecks.Service(
            await Services.Catalogue.GetAsync((await MembershipAsync(State.EnteId)).ListinoId),
            State.ServiceId, State.Variant, State.Lifecycle.ActivatedOn!.Value);
        Guard.WholeUnitsOf(quantity, Priceability.CountedUnit(service, State.Variant), $"quantity of {Subject}");
        var existing = State.QuantityChanges.FirstOrDefault(c => c.EffectiveOn == effectiveOn);
        if (existing?.Quantity == quantity || (existing is null && QuantityOn(State, effectiveOn) == quantity))
        {
            return View();
        }

        var next = effectiveOn == State.Lifecycle.ActivatedOn
            ? State with { Quantity = quantity }
            : State with
            {
                QuantityChanges = State.QuantityChanges.RemoveAll(c => c.EffectiveOn == effectiveOn)
                    .Add(new QuantityChange(effectiveOn, quantity))
                    .Sort((a, b) => a.EffectiveOn.CompareTo(b.EffectiveOn)),
            };
        return await ApplyAsync(next, "change quantity", op);
    }

    public async Task<HostedServiceView> RecordConsumptionAsync(ConsumptionEntry entry, string operatorName)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        if (string.IsNullOrWhiteSpace(entry.EntryId))
        {
            throw new OutOfRangeException("consumption entry id", string.Empty,
                $"consumption of {Subject} has no entry id; give the work order or document number that identifies it");
        }

        Guard.Text(entry.EntryId, $"entry id of a consumption of {Subject}", Guard.MaxLabelLength);
        Guard.Text(entry.ComponentId, $"component of a consumption of {Subject}", Guard.MaxLabelLength);
        Guard.PositiveQuantity(entry.Quantity, $"consumption of {Subject}");
        FactDates.Check(FactKind.Consumption, entry.RecordedOn, Today, Subject);
        State.Lifecycle!.CheckActiveOn(entry.RecordedOn, "consumption");

        // Refused now, with the components to choose from, rather than failing every statement of the ente later.
        var service = CatalogueChecks.Service(
            await Services.Catalogue.GetAsync((await MembershipAsync(State.EnteId)).ListinoId),
            State.ServiceId, State.Variant, entry.RecordedOn);
        _ = Priceability.ConsumptionComponent(service, State.Variant, entry.ComponentId, Subject).Value;

        var clean = entry with { EntryId = entry.EntryId.Trim() };
        if (State.Consumption.Contains(clean))
        {
            return View();
        }

        var list = State.Consumption.RemoveAll(c => c.EntryId == clean.EntryId).Add(clean);
        return await ApplyAsync(State with { Consumption = list }, "record consumption", op);
    }

    public async Task<HostedServiceView> SetAgreedPriceAsync(decimal euros, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        Guard.Amount(euros, $"agreed price of {Subject}");
        var service = CatalogueChecks.Service(
            await Services.Catalogue.GetAsync((await MembershipAsync(State.EnteId)).ListinoId),
            State.ServiceId, State.Variant, State.Lifecycle!.ActivatedOn!.Value);
        CheckAgreedPrice(service, State.Variant, euros);
        return await ApplyAsync(State with { AgreedPrice = euros }, "set agreed price", op);
    }

    public Task<HostedServiceView> ReceiveDisdettaAsync(LocalDate receivedOn, string evidence, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        FactDates.Check(FactKind.DisdettaReceived, receivedOn, Today, Subject);
        return ApplyAsync(State with { Lifecycle = State.Lifecycle!.WithDisdetta(receivedOn, evidence) }, "disdetta", op);
    }

    public Task<HostedServiceView> CeaseAsync(LocalDate on, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        return ApplyAsync(State with { Lifecycle = State.Lifecycle!.WithCessation(on) }, "cease", op);
    }

    public async Task<ChildSnapshot> EndForWithdrawalAsync(LocalDate on, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        var lifecycle = State.Lifecycle!.WithCessation(on);
        return lifecycle == State.Lifecycle
            ? SnapshotOf(State)
            : await CommitAsync(State with { Lifecycle = lifecycle }, "end for withdrawal", op, tellEnte: false);
    }

    public Task<HostedServiceView> GetAsync()
    {
        EnsureExists();
        return Task.FromResult(View());
    }

    public async Task<HostedServiceView> HandleDeadlinesAsync()
    {
        EnsureExists();
        await HandleDueDeadlinesAsync(verifyReminder: true);
        return View();
    }

    protected override IDeadlineSchedule? ScheduleOf(HostedServiceState state) => state.Lifecycle?.ScheduleFor(state.Renews);

    protected override ImmutableList<Subscription> SubscriptionsOf(HostedServiceState state) =>
        state.Exists ? [SubscriptionOf(state)] : [];

    protected override string Summarize(HostedServiceState state)
    {
        if (state.Lifecycle is not { } l)
        {
            return "not activated";
        }

        var text = $"{state.ServiceId} {state.ServiceName}{(state.Variant is null ? string.Empty : " (" + state.Variant + ")")}, "
            + $"ente {state.EnteId}, status {l.StatusOn(Today)}, active from {Iso(l.ActivatedOn!.Value)}, "
            + $"quantity {Number(QuantityOn(state, LocalDate.MaxIsoValue))}";
        if (state.AgreedPrice is { } p)
        {
            text += $", agreed price EUR {Number(p)}";
        }

        if (state.Consumption.Count > 0)
        {
            text += $", {state.Consumption.Count} consumption record(s)";
        }

        if (l.DisdettaReceivedOn is { } d)
        {
            text += $", disdetta {Iso(d)} ({l.DisdettaEvidence})";
        }

        if (l.EndsOn is { } e)
        {
            text += $", ends {Iso(e)}";
        }

        return text;
    }

    private Subscription SubscriptionOf(HostedServiceState s) =>
        new(Key, s.ServiceId, s.Lifecycle!.ActivatedOn!.Value)
        {
            Variant = s.Variant,
            Quantity = s.Quantity,
            QuantityChanges = s.QuantityChanges,
            DisdettaReceivedOn = s.Lifecycle.DisdettaReceivedOn,
            CeasedOn = s.Lifecycle.CeasedOn,
            AgreedPrice = s.AgreedPrice,
            Consumption = [.. s.Consumption.OrderBy(c => c.RecordedOn).ThenBy(c => c.EntryId, StringComparer.Ordinal)
                .Select(c => new ConsumptionRecord(c.RecordedOn, c.Quantity, c.ComponentId))],
        };

    /// <summary>The pricing core's rule for agreed prices: required on quotation, refused on a listed price, whole cents.</summary>
    private void CheckAgreedPrice(CatalogueService service, string? variant, decimal? price)
    {
        if (Priceability.AgreedPriceError(service, variant, price, Subject) is { } error)
        {
            throw error;
        }
    }

    private (string EnteId, string ServiceId, string Label) ParseKey()
    {
        try
        {
            return HostedServiceKey.Parse(Key);
        }
        catch (ArgumentException)
        {
            throw new OutOfRangeException("hosted service key", Key,
                $"hosted service key '{Key}' must be enteId/serviceId/label, e.g. 028060/s.13/1");
        }
    }

    private async Task<HostedServiceView> ApplyAsync(HostedServiceState next, string action, string op)
    {
        if (next != State)
        {
            await CommitAsync(next, action, op);
        }

        return View();
    }

    private HostedServiceView View()
    {
        var s = State;
        return new HostedServiceView(Key, s.EnteId, s.ServiceId, s.ServiceName, s.Lifecycle!.StatusOn(Today), s.Renews,
            SubscriptionOf(s), s.Lifecycle.DisdettaEvidence, s.Lifecycle.EndsOn, s.Consumption, s.Deadlines);
    }

    private static decimal QuantityOn(HostedServiceState s, LocalDate day) =>
        s.QuantityChanges.LastOrDefault(c => c.EffectiveOn <= day)?.Quantity ?? s.Quantity;

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
