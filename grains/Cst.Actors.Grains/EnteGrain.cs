using System.Collections.Immutable;
using Cst.Actors.Contracts;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Contracts.Services;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Domain.Enti;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Pricing;
using Cst.Actors.Domain.Validation;
using Cst.Actors.Grains.Infrastructure;
using Cst.Actors.ReadModels;
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

    /// <summary>The payer as stored before it was dated: in force from the beginning. Superseded by <see cref="Payers"/>.</summary>
    [Id(3)] public string? CapofilaId { get; init; }

    /// <summary>The billing snapshot of each of its objects, by <see cref="ChildSnapshot.IndexKey"/>: also its index.</summary>
    [Id(4)] public ImmutableDictionary<string, ChildSnapshot> Children { get; init; } = ImmutableDictionary<string, ChildSnapshot>.Empty;

    /// <summary>Who pays from which billing year, oldest first (<see cref="PayerHistory"/>); empty: see <see cref="CapofilaId"/>.</summary>
    [Id(5)] public ImmutableList<PayerChange> Payers { get; init; } = [];

    /// <summary>
    /// The audit row of the last change while it may not be written yet: stored with the change, cleared once the
    /// row is in the audit log (see <see cref="EnteGrain"/>, "Steps after the state write").
    /// </summary>
    [Id(6)] public AuditEntry? PendingAudit { get; init; }

    /// <summary>Whether the last change must still reach the directory (written before its audit row).</summary>
    [Id(7)] public bool PendingDirectory { get; init; }

    /// <summary>
    /// Whether the enti list row (sql/schema/0013) of the last write of the children's snapshots may not be written yet;
    /// <see cref="SummaryRevision"/> tells whether it was.
    /// </summary>
    [Id(8)] public bool PendingSummary { get; init; }

    /// <summary>Grows with every write that changes the enti list row; the row carries it.</summary>
    [Id(9)] public long SummaryRevision { get; init; }

    public bool Exists => Registration is not null;
}

/// <summary>
/// An ente: registered with its identity and adhesion date, its population recorded year by year, paying itself or
/// through its lead ente (capofila), until its withdrawal (recesso) ends it and all its objects. It holds the billing
/// snapshot of each mailbox, device and hosted service, so its statement for any year is computed by the pricing core
/// from its own state alone. It has no deadline of its own and holds no reminder.
/// </summary>
/// <remarks>
/// Steps after the state write: a change is written with its audit row (and whether the directory must learn of it)
/// in the state; then the directory entry is upserted and the audit row inserted, the audit row last. If either fails
/// the call fails, and every later call to this ente (a retry, a re-import, any other call) first finishes them: when
/// the row of the change is not in the audit log yet, it upserts the entry and inserts the row (idempotent on the
/// change id). So a change that failed half-way converges on the next call instead of leaving an ente that is
/// registered but missing from the directory, and so from every billing run. The ente's row of the enti list (a read
/// model, sql/schema/0013) is written in the same steps, before the audit row; when only an object's snapshot changed
/// (no audit row of the ente's) it is written after the state, which says so (<see cref="EnteState.PendingSummary"/>), and
/// a failed write is done again by the next call.
/// </remarks>
[GrainType("ente")]
public sealed class EnteGrain(
    [PersistentState("ente", StorageNames.Default)] IPersistentState<EnteState> state,
    GrainServices services)
    : Grain, IEnteGrain, IIncomingGrainCallFilter
{
    private string EnteId => this.GetPrimaryKeyString();

    /// <summary>Set while the pending steps run: a call interleaving with them (a read) leaves them to the call running them.</summary>
    private bool _finishing;

    private string Subject => "ente " + EnteId;

    /// <summary>Every call first finishes the steps a failed change left undone.</summary>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_finishing)
        {
            await FinishPendingAsync(mayBeDone: true);
            await FinishPendingSummaryAsync();
        }

        await context.Invoke();
    }

    public Task<EnteView> RegisterAsync(EnteRegistration registration, string operatorName) =>
        CreateAsync(new EnteCreation(registration), operatorName);

    public async Task<EnteView> CreateAsync(EnteCreation creation, string operatorName)
    {
        ArgumentNullException.ThrowIfNull(creation);
        var op = BusinessTime.Operator(operatorName);
        var clean = await CheckedAsync(creation.Registration);
        var population = ImmutableList<PopulationCount>.Empty;
        foreach (var count in creation.Population ?? [])
        {
            CheckPopulation(count.Year, count.Inhabitants);
            if (population.Any(p => p.Year == count.Year))
            {
                throw new IllegalTransitionException(Subject, "registration",
                    $"the population of {Subject} at 1 January {count.Year} is given twice");
            }

            population = population.Add(count);
        }

        var capofila = Blank(creation.CapofilaId);
        var payers = PayerHistory.From([], clean.AdheredOn.Year, capofila);
        if (state.State.Exists)
        {
            // Creating never changes what exists: the same creation again is a no-op, anything else is an edit.
            var held = state.State;
            if (clean == held.Registration && population.All(held.Population.Contains)
                && (capofila is null || PayerHistory.CapofilaIn(Payers(held), clean.AdheredOn.Year) == capofila))
            {
                // The pending steps of the registration were finished before this call; an ente stored before they
                // were kept in the state may still miss its directory entry, and this repairs it.
                await GrainFactory.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key).UpsertAsync(Entry());
                return View();
            }

            throw new IllegalTransitionException(Subject, "registration",
                $"{Subject} is already registered as {held.Registration!.Name}; use edit")
            {
                Code = RefusalCode.EnteAlreadyRegistered, Args = [Subject, held.Registration!.Name],
            };
        }

        await CheckCapofilaAsync(capofila);
        await CommitAsync(new EnteState
        {
            Registration = clean,
            Population = population.Sort((a, b) => a.Year.CompareTo(b.Year)),
            Payers = payers,
        }, "register", op, directory: true);
        return View();
    }

    public async Task<EnteView> EditAsync(EnteRegistration registration, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        var clean = await CheckedAsync(registration);
        var before = state.State.Registration!;
        var changes = EnteChanges.Between(before, clean);
        if (changes.Count == 0)
        {
            return View();
        }

        if (clean.ListinoId != before.ListinoId)
        {
            throw new IllegalTransitionException(Subject, "edit",
                $"{Subject} is billed on listino {before.ListinoId}; moving it to {clean.ListinoId} would reprice its past statements and is not an edit");
        }

        if (clean.AdheredOn != before.AdheredOn)
        {
            var early = EarliestActivation();
            if (early is { } first && first < clean.AdheredOn)
            {
                throw new IllegalTransitionException(Subject, "edit",
                    $"{Subject} has objects active from {Iso(first)}; its adhesion cannot move to {Iso(clean.AdheredOn)}");
            }

            if (state.State.WithdrawnOn is { } withdrawn && clean.AdheredOn >= withdrawn)
            {
                throw new IllegalTransitionException(Subject, "edit",
                    $"{Subject} withdrew on {Iso(withdrawn)}; its adhesion cannot move to {Iso(clean.AdheredOn)}");
            }
        }

        await CommitAsync(state.State with { Registration = clean }, "edit", op,
            string.Join(", ", changes.Select(c => c.BeforeText)), string.Join(", ", changes.Select(c => c.AfterText)),
            directory: true);
        return View();
    }

    /// <summary>The registration checked (key, name, adhesion, listino, referente PEC) and normalised as stored.</summary>
    private async Task<EnteRegistration> CheckedAsync(EnteRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        Guard.Text(registration.Name, $"name of {Subject}", Guard.MaxNameLength);
        Guard.Text(registration.ReferenteName, $"referente of {Subject}", Guard.MaxNameLength);
        Guard.Text(registration.ReferentePec, $"referente PEC of {Subject}", Guard.MaxAddressLength);
        Guard.Text(registration.ReferenteEmail, $"referente e-mail of {Subject}", Guard.MaxAddressLength);
        Guard.Text(registration.ListinoId, $"listino of {Subject}", Guard.MaxLabelLength);
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

        return EnteChanges.Normalize(registration);
    }

    public async Task<EnteView> SetPopulationAsync(int year, int inhabitants, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        CheckPopulation(year, inhabitants);
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

    private void CheckPopulation(int year, int inhabitants)
    {
        Guard.Inhabitants(inhabitants, $"population of {Subject} at 1 January {year}");
        CheckYear(year, "population year");
    }

    private void CheckYear(int year, string what)
    {
        if (year < Guard.EarliestDate.Year || year > Guard.LatestDate.Year)
        {
            throw new OutOfRangeException(what, year.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{what} {year} of {Subject} must be between {Guard.EarliestDate.Year} and {Guard.LatestDate.Year}");
        }
    }

    public async Task<EnteView> SetPayerAsync(string? capofilaId, int fromYear, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        EnsureExists();
        CheckYear(fromYear, "first billing year of the payer");
        var capofila = Blank(capofilaId);
        var held = Payers(state.State);
        var next = PayerHistory.From(held, fromYear, capofila);
        if (next.SequenceEqual(held))
        {
            return View();
        }

        await CheckCapofilaAsync(capofila);
        await CheckPayerYearsOpenAsync(fromYear);
        var adhered = state.State.Registration!.AdheredOn.Year;
        // Payers as a list of dated changes from now on; an old state's single capofila is folded into it.
        await CommitAsync(state.State with { Payers = next, CapofilaId = null }, "set payer", op,
            PayerHistory.Describe(held, adhered), PayerHistory.Describe(next, adhered));
        return View();
    }

    /// <summary>
    /// A closed final run's statements keep the payer they were issued to, and so do its later revisions of adjustments:
    /// a payer change takes effect only from a year that has no closed final run.
    /// </summary>
    private async Task CheckPayerYearsOpenAsync(int fromYear)
    {
        for (var year = services.Clock.Today().Year; year >= fromYear; year--)
        {
            var run = await GrainFactory.GetGrain<IBillingRunGrain>(BillingRunKey.For(year, BillingRunMode.Final)).GetProgressAsync();
            if (run.Status == BillingRunStatus.Closed || run.Revision > 1)
            {
                throw new IllegalTransitionException(Subject, "payer",
                    $"the final billing run of {year} is closed and its statements keep the payer they were issued to; "
                    + $"a payer change of {Subject} can take effect from {year + 1} at the earliest, not {fromYear}");
            }
        }
    }

    /// <summary>A capofila must be another registered ente.</summary>
    private async Task CheckCapofilaAsync(string? capofila)
    {
        if (capofila == EnteId)
        {
            throw new IllegalTransitionException(Subject, "payer",
                $"{Subject} cannot be its own capofila; leave the capofila empty for an ente that pays itself")
            {
                Code = RefusalCode.EnteOwnCapofila, Args = [Subject],
            };
        }

        if (capofila is not null && !await GrainFactory.GetGrain<IEnteGrain>(capofila).ExistsAsync())
        {
            throw new IllegalTransitionException(Subject, "payer",
                $"capofila {capofila} of {Subject} is not a registered ente; register it first")
            {
                Code = RefusalCode.EnteCapofilaUnregistered, Args = [capofila, Subject],
            };
        }
    }

    /// <summary>
    /// Who pays from which year. A state stored before payers were dated holds one capofila: it is in force from the
    /// beginning.
    /// </summary>
    private static ImmutableList<PayerChange> Payers(EnteState s) =>
        s.Payers.Count > 0 || s.CapofilaId is null ? s.Payers : [new PayerChange(Guard.EarliestDate.Year, s.CapofilaId)];

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
                    $"{Subject} already withdrew on {Iso(withdrawn)}; another withdrawal on {Iso(on)} is refused")
                {
                    Code = RefusalCode.EnteWithdrewAlready, Args = [Subject, Iso(withdrawn), Iso(on)],
                };
        }

        if (on <= adhered)
        {
            throw new IllegalTransitionException(Subject, "withdrawal",
                $"{Subject} adhered on {Iso(adhered)}; a withdrawal on {Iso(on)} must come after it")
            {
                Code = RefusalCode.EnteWithdrawalBeforeAdhesion, Args = [Subject, Iso(adhered), Iso(on)],
            };
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

        await CommitAsync(state.State with { WithdrawnOn = on, Children = children }, "withdraw", op, directory: true);
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
        return StatementOf(listino, history, year, mode);
    }

    /// <summary>
    /// The statement of a run's year: the pricing core's for a final run, its projection of the year's end for a
    /// preview. The ente's own billing and a billing run reading stored states (<see cref="BillingOf"/>) both price here.
    /// </summary>
    public static Statement StatementOf(Domain.Catalogue.Listino listino, EnteHistory history, int year, BillingRunMode mode) =>
        mode == BillingRunMode.Preview
            ? PreviewProjection.Compute(listino, history, year)
            : StatementCalculator.Compute(listino, history, year);

    /// <summary>
    /// What <see cref="BillAsync"/> answers, from a stored state rather than this activation's: a billing run prices
    /// enti that way without activating them. The view carries what a run asks of it (the name, who pays which year),
    /// not the index of the objects.
    /// </summary>
    public static EnteBilling BillingOf(string enteId, EnteState stored, Domain.Catalogue.Listino listino, int year, BillingRunMode mode, int thisYear)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var history = HistoryOf(enteId, stored);
        return new EnteBilling(BillingViewOf(enteId, stored, thisYear), LineKeys.Assign(StatementOf(listino, history, year, mode)));
    }

    /// <summary>The view of a stored state for a billing run: identity, dates, population and payers; no objects.</summary>
    public static EnteView BillingViewOf(string enteId, EnteState stored, int thisYear)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var payers = Payers(stored);
        return new EnteView(enteId, stored.Registration!, stored.WithdrawnOn, stored.Population, PayerHistory.CapofilaIn(payers, thisYear), [])
        {
            Payers = payers,
        };
    }

    public async Task PutChildAsync(ChildSnapshot snapshot)
    {
        Check(snapshot);
        if (state.State.Children.TryGetValue(snapshot.IndexKey, out var held) && held == snapshot)
        {
            return;
        }

        await WriteChildrenAsync(state.State.Children.SetItem(snapshot.IndexKey, snapshot));
    }

    public Task CheckChildAsync(ChildSnapshot snapshot)
    {
        Check(snapshot);
        return Task.CompletedTask;
    }

    public async Task AttachImportedAsync(ImmutableList<ChildKey> children)
    {
        ArgumentNullException.ThrowIfNull(children);
        EnsureExists();

        // Each object answers for itself, so what is attached is what it holds: a key of an object that does not exist
        // or belongs to another ente is refused before anything is stored.
        var snapshots = await Task.WhenAll(children.Distinct().Select(child => ObjectOf(child).GetSnapshotForAsync(this.GetPrimaryKeyString())));
        await PutChildrenAsync([.. snapshots]);
    }

    private IOwnedObjectGrain ObjectOf(ChildKey child) => GrainFactory.OwnedObject(child.Kind, child.Key)
        ?? throw new CstDomainError("NotFound", this.GetGrainId().ToString(), $"{Subject}: no kind of object {child.Kind} (key {child.Key})");

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

        await WriteChildrenAsync(children, restoreOnFailure: true);
    }

    /// <summary>Stores new snapshots of the children, then the enti list row (pending in the state until written).</summary>
    private async Task WriteChildrenAsync(ImmutableDictionary<string, ChildSnapshot> children, bool restoreOnFailure = false)
    {
        var before = state.State;
        state.State = state.State with { Children = children, PendingSummary = true, SummaryRevision = before.SummaryRevision + 1 };
        await WriteAsync(restoreOnFailure ? before : null);
        await WriteSummaryAsync();
    }

    /// <summary>The enti list row of a write whose row may not be there yet, unless it is (same revision).</summary>
    private async Task FinishPendingSummaryAsync()
    {
        if (!state.State.PendingSummary)
        {
            return;
        }

        _finishing = true;
        try
        {
            if (!await services.ReadModels.HasEnteSummaryAsync(EnteId, state.State.SummaryRevision))
            {
                await WriteSummaryAsync();
            }

            state.State = state.State with { PendingSummary = false };
        }
        finally
        {
            _finishing = false;
        }
    }

    private async Task WriteSummaryAsync()
    {
        if (!state.State.Exists)
        {
            return;
        }

        await services.ReadModels.UpsertEnteSummariesAsync([await SummaryRowAsync(services.Clock.Today().Year)]);
        state.State = state.State with { PendingSummary = false };
    }

    public async Task<EnteSummary> GetSummaryAsync(int year)
    {
        EnsureExists();
        var row = await SummaryRowAsync(year);
        if (year == services.Clock.Today().Year)
        {
            // Asked because the row went stale (a day passed an object's start or end, a new year): written again.
            await services.ReadModels.UpsertEnteSummariesAsync([row]);
        }

        return row.ToSummary();
    }

    /// <summary>
    /// The enti list row for <paramref name="year"/>: objects active today as the ente's screen counts them (a mailbox's
    /// extra space or conservazione is billed as a subscription of its own, key#variant, but is the same mailbox), the
    /// first later day that count may change, the population in force for the year (else the latest), and the year's
    /// statement total or why it cannot be computed.
    /// </summary>
    private async Task<EnteSummaryRow> SummaryRowAsync(int year)
    {
        var s = state.State;
        var today = services.Clock.Today();
        var history = History();
        var activeKeys = history.Subscriptions.Where(x => x.IsActiveOn(today)).Select(x => x.Id.Split('#')[0]).ToHashSet(StringComparer.Ordinal);
        var active = s.Children.Values.Count(c => activeKeys.Contains(c.Key));
        LocalDate? until = null;
        foreach (var subscription in history.Subscriptions)
        {
            foreach (var change in new[] { subscription.ActivatedOn, subscription.EndsOn() })
            {
                if (change is { } day && day > today && (until is null || day < until))
                {
                    until = day;
                }
            }
        }

        Domain.Money? estimate = null;
        string? error = null;
        try
        {
            var listino = await services.Catalogue.GetAsync(history.ListinoId);
            estimate = StatementCalculator.Compute(listino, history, year).Total;
        }
        catch (Domain.DomainException e)
        {
            error = e.Message;
        }
        catch (CstDomainError e)
        {
            error = e.Message;
        }

        var population = s.Population.Where(p => p.Year <= year).OrderByDescending(p => p.Year).FirstOrDefault()
            ?? s.Population.OrderByDescending(p => p.Year).FirstOrDefault();
        var r = s.Registration!;
        return new EnteSummaryRow(EnteId, r.Name, r.IstatCode, s.WithdrawnOn, population?.Inhabitants, active, until, year,
            estimate, error, s.SummaryRevision);
    }

    public async Task<int> RebuildReadModelsAsync()
    {
        if (!state.State.Exists)
        {
            return 0;
        }

        // The ente's row first: the objects' rows take its name from it.
        await services.ReadModels.UpsertEnteSummariesAsync([await SummaryRowAsync(services.Clock.Today().Year)]);
        var objects = new List<ObjectDeadlines>();
        foreach (var chunk in state.State.Children.Values.OrderBy(c => c.IndexKey, StringComparer.Ordinal).Chunk(32))
        {
            var listed = await Task.WhenAll(chunk.Select(async child =>
                new ObjectDeadlines(child.Kind, child.Key, EnteId,
                    [.. (await ObjectOf(new ChildKey(child.Kind, child.Key)).ListedDeadlinesAsync()).Select(d => new Domain.Deadlines.Deadline(d.Kind, d.Due, child.Key, d.Description))])));
            objects.AddRange(listed);
        }

        foreach (var batch in objects.Chunk(500))
        {
            await services.ReadModels.ReplaceDeadlinesAsync(batch);
        }

        return objects.Count;
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

        if (RefusalOf(EnteId, new EnteMembership(state.State.Registration!.AdheredOn, state.State.WithdrawnOn, state.State.Registration.ListinoId), snapshot) is { } refusal)
        {
            throw refusal;
        }
    }

    /// <summary>
    /// Why ente <paramref name="enteId"/> with <paramref name="membership"/> refuses an object's snapshot (an activation
    /// before the adhesion or from the withdrawal on), or null. The ente's own check, and a bulk import's check of each
    /// new object against the membership the ente gave it (the ente checks them all again when it stores them).
    /// </summary>
    internal static IllegalTransitionException? RefusalOf(string enteId, EnteMembership membership, ChildSnapshot snapshot)
    {
        var subject = "ente " + enteId;
        var adhered = membership.AdheredOn;
        foreach (var subscription in snapshot.Subscriptions)
        {
            if (subscription.ActivatedOn < adhered)
            {
                return new IllegalTransitionException(subject, "activation",
                    $"{snapshot.Kind} {snapshot.Key} cannot be active from {Iso(subscription.ActivatedOn)}, before {subject} "
                    + $"adhered to the CST on {Iso(adhered)}")
                {
                    Code = RefusalCode.EnteObjectBeforeAdhesion,
                    Args = [snapshot.Kind.ToString(), snapshot.Key, Iso(subscription.ActivatedOn), subject, Iso(adhered)],
                };
            }

            if (membership.WithdrawnOn is { } withdrawn && subscription.ActivatedOn >= withdrawn)
            {
                return new IllegalTransitionException(subject, "activation",
                    $"{snapshot.Kind} {snapshot.Key} cannot be active from {Iso(subscription.ActivatedOn)}: {subject} "
                    + $"withdrew from the CST on {Iso(withdrawn)}")
                {
                    Code = RefusalCode.EnteObjectAfterWithdrawal,
                    Args = [snapshot.Kind.ToString(), snapshot.Key, Iso(subscription.ActivatedOn), subject, Iso(withdrawn)],
                };
            }
        }

        return null;
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

        await WriteChildrenAsync(state.State.Children.SetItem(snapshot.IndexKey, snapshot));
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
    private EnteHistory History() => HistoryOf(EnteId, state.State);

    /// <summary>The history of a state, this activation's or a stored one (<see cref="BillingOf"/>).</summary>
    private static EnteHistory HistoryOf(string enteId, EnteState s)
    {
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
        return new EnteHistory(enteId, r.ListinoId, r.AdheredOn)
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

    /// <summary>
    /// Writes the state with its audit row (the whole ente before and after, unless the change says it better) as
    /// pending, then the steps after it: the directory entry when <paramref name="directory"/>, and the audit row.
    /// </summary>
    private async Task CommitAsync(EnteState next, string action, string op, string? beforeText = null, string? afterText = null,
        bool directory = false)
    {
        var before = state.State;
        var audit = new AuditEntry(op, services.Clock.GetCurrentInstant(), "ente:" + EnteId, action,
            beforeText ?? (before.Exists ? Summarize(before) : null), afterText ?? Summarize(next));
        state.State = next with { PendingAudit = audit, PendingDirectory = directory, SummaryRevision = before.SummaryRevision + 1 };
        await WriteAsync(before);
        await FinishPendingAsync(mayBeDone: false);
    }

    /// <summary>
    /// The steps after the state write of the last change, if it has any left: the directory entry, then the audit row.
    /// They are cleared in memory only; the stored copy goes with the next write, and until then a new activation
    /// asks the audit log whether the row is there (<paramref name="mayBeDone"/>) before doing them again.
    /// </summary>
    private async Task FinishPendingAsync(bool mayBeDone)
    {
        if (state.State.PendingAudit is not { } audit)
        {
            return;
        }

        _finishing = true;
        try
        {
            await FinishPendingStepsAsync(audit, mayBeDone);
        }
        finally
        {
            _finishing = false;
        }
    }

    private async Task FinishPendingStepsAsync(AuditEntry audit, bool mayBeDone)
    {
        if (!mayBeDone || !await services.Audit.ContainsAsync(audit.ChangeId))
        {
            if (state.State.PendingDirectory)
            {
                await GrainFactory.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key).UpsertAsync(Entry());
            }

            await WriteSummaryAsync();
            await services.Audit.RecordAsync(audit);
        }

        state.State = state.State with { PendingAudit = null, PendingDirectory = false };
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
            throw new CstDomainError("NotFound", this.GetGrainId().ToString(), $"{Subject} is not registered", RefusalCode.EnteNotRegistered, [Subject]);
        }
    }

    private EnteView View()
    {
        var s = state.State;
        var payers = Payers(s);
        return new EnteView(EnteId, s.Registration!, s.WithdrawnOn, s.Population, PayerHistory.CapofilaIn(payers, services.Clock.Today().Year),
            [.. s.Children.Values.OrderBy(c => c.IndexKey, StringComparer.Ordinal).Select(c => new ChildRef(c.Kind, c.Key, c.Summary))])
        {
            Payers = payers,
        };
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

        if (Payers(s) is { Count: > 0 } payers)
        {
            text += ", " + PayerHistory.Describe(payers, r.AdheredOn.Year);
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
