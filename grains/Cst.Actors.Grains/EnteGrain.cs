using System.Collections.Immutable;
using Cst.Actors.Contracts;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Contracts.Services;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Domain.Enti;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Pricing;
using Cst.Actors.Domain.Validation;
using Cst.Actors.Grains.Infrastructure;
using NodaTime;
using NodaTime.Text;

namespace Cst.Actors.Grains;

/// <summary>The stored record of an ente. Never renumber the ids.</summary>
[GenerateSerializer, Immutable, Alias("cst.EnteState")]
public sealed record EnteState
{
    /// <summary>The identity as registered; null until registered.</summary>
    [Id(0)] public EnteRegistration? Registration { get; init; }

    [Id(1)] public LocalDate? WithdrawnOn { get; init; }

    [Id(2)] public ImmutableList<PopulationCount> Population { get; init; } = [];

    [Id(3)] public string? CapofilaId { get; init; }

    /// <summary>The billing snapshot of each of its objects, by <see cref="ChildSnapshot.IndexKey"/>: also its index.</summary>
    [Id(4)] public ImmutableDictionary<string, ChildSnapshot> Children { get; init; } = ImmutableDictionary<string, ChildSnapshot>.Empty;

    public bool Exists => Registration is not null;
}

/// <summary>
/// An ente: registered with its identity and adhesion date, its population recorded year by year, paying itself or
/// through its lead ente (capofila), until its withdrawal (recesso) ends it and all its objects. It holds the billing
/// snapshot of each mailbox, device and hosted service, so its statement for any year is computed by the pricing core
/// from its own state alone. It has no deadline of its own and holds no reminder.
/// </summary>
[GrainType("ente")]
public sealed class EnteGrain(
    [PersistentState("ente", StorageNames.Default)] IPersistentState<EnteState> state,
    GrainServices services)
    : Grain, IEnteGrain
{
    private string EnteId => this.GetPrimaryKeyString();

    private string Subject => "ente " + EnteId;

    public async Task<EnteView> RegisterAsync(EnteRegistration registration, string operatorName)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var op = BusinessTime.Operator(operatorName);
        var key = EnteKey.For(registration.Kind, registration.IstatCode, registration.CodiceFiscale);
        if (key != EnteId)
        {
            throw new IllegalTransitionException(Subject, "registration",
                $"{registration.Name} ({registration.Kind}) has the key {key}, not {EnteId}: register it as ente {key}");
        }

        if (string.IsNullOrWhiteSpace(registration.Name))
        {
            throw new OutOfRangeException("name", string.Empty, $"{Subject} has no name");
        }

        Guard.Date(registration.AdheredOn, $"adhesion date of {Subject}");
        await services.Catalogue.GetAsync(registration.ListinoId);
        if (registration.ReferentePec is { Length: > 0 } pec)
        {
            PecAddress.Parse(pec);
        }

        var clean = registration with
        {
            Name = registration.Name.Trim(),
            IstatCode = Blank(registration.IstatCode),
            CodiceFiscale = Blank(registration.CodiceFiscale),
            ReferentePec = Blank(registration.ReferentePec) is { } p ? PecAddress.Parse(p).Value : null,
            ReferenteEmail = Blank(registration.ReferenteEmail),
            ReferenteName = Blank(registration.ReferenteName),
        };
        if (clean == state.State.Registration)
        {
            return View();
        }

        if (state.State.Exists && clean.AdheredOn != state.State.Registration!.AdheredOn)
        {
            var early = EarliestActivation();
            if (early is { } first && first < clean.AdheredOn)
            {
                throw new IllegalTransitionException(Subject, "registration",
                    $"{Subject} has objects active from {Iso(first)}; its adhesion cannot move to {Iso(clean.AdheredOn)}");
            }
        }

        await CommitAsync(state.State with { Registration = clean }, "register", op);
        await GrainFactory.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key).UpsertAsync(Entry());
        return View();
    }

    public async Task<EnteView> SetPopulationAsync(int year, int inhabitants, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        Guard.Quantity(inhabitants, $"population of {Subject} at 1 January {year}");
        if (year < Guard.EarliestDate.Year || year > Guard.LatestDate.Year)
        {
            throw new OutOfRangeException("population year", year.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"population year {year} of {Subject} must be between {Guard.EarliestDate.Year} and {Guard.LatestDate.Year}");
        }

        var current = state.State.Population.FirstOrDefault(p => p.Year == year);
        if (current?.Inhabitants == inhabitants)
        {
            return View();
        }

        var population = state.State.Population.RemoveAll(p => p.Year == year).Add(new PopulationCount(year, inhabitants))
            .Sort((a, b) => a.Year.CompareTo(b.Year));
        await CommitAsync(state.State with { Population = population }, "set population", op);
        return View();
    }

    public async Task<EnteView> SetPayerAsync(string? capofilaId, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        var capofila = string.IsNullOrWhiteSpace(capofilaId) ? null : capofilaId.Trim();
        if (capofila == state.State.CapofilaId)
        {
            return View();
        }

        if (capofila == EnteId)
        {
            throw new IllegalTransitionException(Subject, "payer",
                $"{Subject} cannot be its own capofila; leave the capofila empty for an ente that pays itself");
        }

        if (capofila is not null && !await GrainFactory.GetGrain<IEnteGrain>(capofila).ExistsAsync())
        {
            throw new IllegalTransitionException(Subject, "payer",
                $"capofila {capofila} of {Subject} is not a registered ente; register it first");
        }

        await CommitAsync(state.State with { CapofilaId = capofila }, "set payer", op);
        return View();
    }

    public async Task<EnteView> WithdrawAsync(LocalDate on, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        Guard.Date(on, $"withdrawal date of {Subject}");
        var adhered = state.State.Registration!.AdheredOn;
        if (state.State.WithdrawnOn is { } withdrawn)
        {
            return withdrawn == on
                ? View()
                : throw new IllegalTransitionException(Subject, "withdrawal",
                    $"{Subject} already withdrew on {Iso(withdrawn)}; another withdrawal on {Iso(on)} is refused");
        }

        if (on <= adhered)
        {
            throw new IllegalTransitionException(Subject, "withdrawal",
                $"{Subject} adhered on {Iso(adhered)}; a withdrawal on {Iso(on)} must come after it");
        }

        var late = state.State.Children.Values.SelectMany(c => c.Subscriptions).Where(s => s.ActivatedOn >= on).ToList();
        if (late.Count > 0)
        {
            throw new IllegalTransitionException(Subject, "withdrawal",
                $"{Subject} cannot withdraw on {Iso(on)}: {string.Join(", ", late.Select(s => $"{s.Id} starts on {Iso(s.ActivatedOn)}"))}");
        }

        // Each object records its own end (and its cessation notice); the ente keeps the snapshots they return.
        var children = state.State.Children;
        foreach (var child in state.State.Children.Values)
        {
            var snapshot = child.Kind switch
            {
                ChildKind.PecMailbox => await GrainFactory.GetGrain<IPecMailboxGrain>(child.Key).EndForWithdrawalAsync(on, op),
                ChildKind.FirmaDevice => await GrainFactory.GetGrain<IFirmaDeviceGrain>(child.Key).EndForWithdrawalAsync(on, op),
                _ => await GrainFactory.GetGrain<IHostedServiceGrain>(child.Key).EndForWithdrawalAsync(on, op),
            };
            children = children.SetItem(snapshot.IndexKey, snapshot);
        }

        await CommitAsync(state.State with { WithdrawnOn = on, Children = children }, "withdraw", op);
        await GrainFactory.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key).UpsertAsync(Entry());
        return View();
    }

    public Task<EnteView> GetAsync()
    {
        EnsureExists();
        return Task.FromResult(View());
    }

    public Task<bool> ExistsAsync() => Task.FromResult(state.State.Exists);

    public Task<EnteHistory> GetBillingHistoryAsync()
    {
        EnsureExists();
        return Task.FromResult(History());
    }

    public Task<Statement> GetStatementAsync(int year) => StatementAsync(year, BillingRunMode.Final);

    public async Task<EnteBilling> BillAsync(int year, BillingRunMode mode)
    {
        var lines = LineKeys.Assign(await StatementAsync(year, mode));
        return new EnteBilling(View(), lines);
    }

    /// <summary>
    /// The year's statement by the pricing core, from this ente's own state and the listino as the cluster holds it
    /// (its adopted versions); a preview projects the year's end.
    /// </summary>
    private async Task<Statement> StatementAsync(int year, BillingRunMode mode)
    {
        EnsureExists();
        var history = History();
        var listino = await services.Catalogue.GetAsync(history.ListinoId);
        return mode == BillingRunMode.Preview
            ? PreviewProjection.Compute(listino, history, year)
            : StatementCalculator.Compute(listino, history, year);
    }

    public async Task PutChildAsync(ChildSnapshot snapshot)
    {
        Check(snapshot);
        if (state.State.Children.TryGetValue(snapshot.IndexKey, out var held) && held == snapshot)
        {
            return;
        }

        state.State = state.State with { Children = state.State.Children.SetItem(snapshot.IndexKey, snapshot) };
        await WriteAsync();
    }

    public Task CheckChildAsync(ChildSnapshot snapshot)
    {
        Check(snapshot);
        return Task.CompletedTask;
    }

    public async Task PutChildrenAsync(ImmutableList<ChildSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        foreach (var snapshot in snapshots)
        {
            Check(snapshot);
        }

        var children = state.State.Children;
        foreach (var snapshot in snapshots)
        {
            if (!children.TryGetValue(snapshot.IndexKey, out var held) || held != snapshot)
            {
                children = children.SetItem(snapshot.IndexKey, snapshot);
            }
        }

        if (children == state.State.Children)
        {
            return;
        }

        var before = state.State;
        state.State = state.State with { Children = children };
        await WriteAsync(before);
    }

    /// <summary>The ente's checks of an object's snapshot: registered, no activation before the adhesion or from the withdrawal on.</summary>
    private void Check(ChildSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!state.State.Exists)
        {
            throw new IllegalTransitionException(Subject, "attach",
                $"{Subject} is not registered; register it before giving it {snapshot.Kind} {snapshot.Key}");
        }

        var adhered = state.State.Registration!.AdheredOn;
        foreach (var subscription in snapshot.Subscriptions)
        {
            if (subscription.ActivatedOn < adhered)
            {
                throw new IllegalTransitionException(Subject, "activation",
                    $"{snapshot.Kind} {snapshot.Key} cannot be active from {Iso(subscription.ActivatedOn)}, before {Subject} "
                    + $"adhered to the CST on {Iso(adhered)}");
            }

            if (state.State.WithdrawnOn is { } withdrawn && subscription.ActivatedOn >= withdrawn)
            {
                throw new IllegalTransitionException(Subject, "activation",
                    $"{snapshot.Kind} {snapshot.Key} cannot be active from {Iso(subscription.ActivatedOn)}: {Subject} "
                    + $"withdrew from the CST on {Iso(withdrawn)}");
            }
        }
    }

    public Task<long?> GetChildVersionAsync(ChildKind kind, string key) =>
        Task.FromResult(state.State.Children.TryGetValue($"{kind}:{key}", out var held) ? held.Version : (long?)null);

    public async Task ResyncChildAsync(ChildSnapshot snapshot, long? seenVersion)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var held = state.State.Children.TryGetValue(snapshot.IndexKey, out var h) ? h.Version : (long?)null;
        if (!state.State.Exists || held != seenVersion)
        {
            return;
        }

        state.State = state.State with { Children = state.State.Children.SetItem(snapshot.IndexKey, snapshot) };
        await WriteAsync();
    }

    public Task<EnteMembership> GetMembershipAsync()
    {
        EnsureExists();
        var r = state.State.Registration!;
        return Task.FromResult(new EnteMembership(r.AdheredOn, state.State.WithdrawnOn, r.ListinoId));
    }

    /// <summary>
    /// The history the pricing core bills: the ente's own dates and population, and its objects' subscriptions, the
    /// mailboxes of each custom-domain pack merged into one subscription of the pack.
    /// </summary>
    private EnteHistory History()
    {
        var s = state.State;
        var subscriptions = new List<Subscription>();
        var packs = new Dictionary<string, List<Subscription>>(StringComparer.Ordinal);
        foreach (var child in s.Children.Values.OrderBy(c => c.IndexKey, StringComparer.Ordinal))
        {
            foreach (var subscription in child.Subscriptions)
            {
                if (child.PackId is { } pack && subscription.Variant == CatalogueChecks.CustomDomainPackVariant)
                {
                    (packs.TryGetValue(pack, out var members) ? members : packs[pack] = []).Add(subscription);
                }
                else
                {
                    subscriptions.Add(subscription);
                }
            }
        }

        subscriptions.AddRange(packs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => CustomDomainPack.Merge(p.Key, p.Value)));
        var r = s.Registration!;
        return new EnteHistory(EnteId, r.ListinoId, r.AdheredOn)
        {
            WithdrawnOn = s.WithdrawnOn,
            Population = s.Population,
            Subscriptions = [.. subscriptions],
        };
    }

    private LocalDate? EarliestActivation()
    {
        var all = state.State.Children.Values.SelectMany(c => c.Subscriptions).Select(s => s.ActivatedOn).ToList();
        return all.Count == 0 ? null : all.Min();
    }

    private async Task CommitAsync(EnteState next, string action, string op)
    {
        var before = state.State;
        state.State = next;
        await WriteAsync(before);
        await services.Audit.RecordAsync(new AuditEntry(op, services.Clock.GetCurrentInstant(), "ente:" + EnteId, action,
            before.Exists ? Summarize(before) : null, Summarize(next)));
    }

    private async Task WriteAsync(EnteState? previous = null)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            if (previous is not null)
            {
                state.State = previous;
            }

            DeactivateOnIdle();
            throw;
        }
    }

    private void EnsureExists()
    {
        if (!state.State.Exists)
        {
            throw new CstDomainError("NotFound", this.GetGrainId().ToString(), $"{Subject} is not registered");
        }
    }

    private EnteView View()
    {
        var s = state.State;
        return new EnteView(EnteId, s.Registration!, s.WithdrawnOn, s.Population, s.CapofilaId,
            [.. s.Children.Values.OrderBy(c => c.IndexKey, StringComparer.Ordinal).Select(c => new ChildRef(c.Kind, c.Key, c.Summary))]);
    }

    private EnteDirectoryEntry Entry()
    {
        var r = state.State.Registration!;
        return new EnteDirectoryEntry(EnteId, r.Name, r.Kind, r.IstatCode, r.CodiceFiscale, state.State.WithdrawnOn);
    }

    private static string Summarize(EnteState s)
    {
        if (s.Registration is not { } r)
        {
            return "not registered";
        }

        var text = $"{r.Name} ({r.Kind}), adhered {Iso(r.AdheredOn)}, listino {r.ListinoId}";
        if (s.WithdrawnOn is { } w)
        {
            text += $", withdrew {Iso(w)}";
        }

        if (s.CapofilaId is { } c)
        {
            text += $", pays through capofila {c}";
        }

        if (s.Population.Count > 0)
        {
            text += $", population {string.Join(", ", s.Population.Select(p => $"{p.Year}: {p.Inhabitants}"))}";
        }

        return text;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
