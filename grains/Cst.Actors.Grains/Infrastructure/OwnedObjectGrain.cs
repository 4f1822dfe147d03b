using System.Collections.Immutable;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Pricing;
using Cst.Actors.Domain.Validation;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>The bookkeeping every owned object's state carries, beside its own facts.</summary>
public interface IOwnedObjectState<TSelf>
    where TSelf : IOwnedObjectState<TSelf>
{
    /// <summary>Whether the object has been created (a default state is not).</summary>
    bool Exists { get; }

    string EnteId { get; }

    /// <summary>Grows by one with every change; the ente's billing snapshot carries it.</summary>
    long Version { get; }

    DeadlineProgress Deadlines { get; }

    TSelf WithBookkeeping(long version, DeadlineProgress deadlines);

    /// <summary>
    /// The audit rows of the last change while they may not be written yet (stored with the change, then cleared);
    /// empty when written.
    /// </summary>
    ImmutableList<AuditEntry> PendingAudit { get; }

    TSelf WithPendingAudit(ImmutableList<AuditEntry> pending);
}

/// <summary>
/// What mailboxes, devices and hosted services share: the order of a change (check with the ente, handle the
/// deadlines, persist, arm the reminder, audit), the one reminder for the next deadline, the catch-up on activation
/// and on each tick, and keeping the ente's billing snapshot in step. The grains themselves say only their lifecycle.
/// </summary>
/// <remarks>
/// Order of a change, so that a refused change leaves nothing behind: (1) the domain checks the transition and
/// throws before anything is written; (2) the ente checks the object's dates against the membership and stores the
/// billing snapshot, or throws; (3) deadlines now due are noticed (idempotent rows); (4) the state is written; if that
/// fails the activation is dropped, so the next call reloads what is stored, and the ente's copy is re-synchronised on
/// the next activation; (5) the reminder is re-armed if the next deadline moved, and the object's rows of upcoming
/// deadlines (the read model of sql/schema/0012) are replaced from the same schedule; (6) the audit row is written.
/// Steps 5 and 6 come after the state write, so the state is written with the change's audit rows as pending; if
/// any of them fails the call fails, and every later call to the object (a retry, a re-import, a reminder tick) first
/// finishes them: when the rows are not in the audit log yet it re-arms the reminder for the stored next deadline,
/// writes the deadline rows and inserts the audit rows (idempotent on their change ids). A change never stays
/// half-done behind an "unchanged" retry. When a deadline fires the progress is written, the reminder re-armed and the
/// deadline rows replaced (the next ones, a year past the next armed deadline); a failed write of those rows is
/// tried again by the next call to the activation, and at the latest by the next tick.
/// </remarks>
public abstract class OwnedObjectGrain<TState> : Grain, IRemindable, IOwnedObjectGrain, IIncomingGrainCallFilter
    where TState : class, IOwnedObjectState<TState>
{
    /// <summary>The name of the one reminder each object holds.</summary>
    public const string ReminderName = "next-deadline";

    /// <summary>
    /// The reminder's period, a safety net only: the reminder is re-armed for the next deadline at every tick. A tick
    /// missed while the cluster was down would come only this much later; the start-up sweep
    /// (<see cref="OverdueDeadlineSweep"/>) and the catch-up on activation handle it at once instead.
    /// </summary>
    public static readonly TimeSpan SafetyPeriod = TimeSpan.FromDays(7);

    private readonly IPersistentState<TState> _state;

    /// <summary>Set while the pending steps run: a call interleaving with them (a read) leaves them to the call running them.</summary>
    private bool _finishing;

    /// <summary>Set while a bulk import applies several operations as one change (<see cref="ApplyAsOneAsync"/>).</summary>
    private List<AuditEntry>? _batch;

    /// <summary>Set when the deadline rows of a handled deadline could not be written: the next call writes them.</summary>
    private bool _rowsBehind;

    /// <summary>
    /// Set when the state was stored by the import's batch writer rather than through <see cref="IPersistentState{TState}"/>,
    /// whose version (ETag) is then behind the row: the next write reads the row first, and the ente's fetch of the
    /// snapshot (the import's last call) lets the activation go.
    /// </summary>
    private bool _storedByBatch;

    /// <summary>
    /// Set on an instance that applies a new object of a bulk import outside any activation
    /// (<see cref="DetachedImport"/>): its identity, and where its rows go instead of the batch writer.
    /// </summary>
    private DetachedImport? _detached;

    protected OwnedObjectGrain(IPersistentState<TState> state, GrainServices services)
    {
        _state = state;
        Services = services;
    }

    /// <summary>
    /// Makes this instance a detached one: it answers for <paramref name="import"/>'s object (its key and grain id)
    /// and hands its rows to it. Only a new object's bulk import may run on it; nothing of it is ever written directly.
    /// </summary>
    internal void Detach(DetachedImport import) => _detached = import;

    protected GrainServices Services { get; }

    protected TState State => _state.State;

    protected IClock Clock => Services.Clock;

    protected LocalDate Today => Services.Clock.Today();

    protected abstract ChildKind Kind { get; }

    /// <summary>The object's key as notices and the ente's index name it (address, serial, hosted service key).</summary>
    protected string Key => _detached?.Key ?? this.GetPrimaryKeyString();

    /// <summary>The object's grain id (a detached instance's is its object's, not that of the activation running it).</summary>
    private GrainId Id => _detached?.GrainId ?? this.GetGrainId();

    /// <summary>The object in audit rows, e.g. "pec:protocollo@pec.comune.padova.it".</summary>
    protected abstract string AuditObject { get; }

    /// <summary>What the object is, in words, for messages ("PEC mailbox x@pec.it").</summary>
    protected abstract string Subject { get; }

    protected abstract IDeadlineSchedule? ScheduleOf(TState state);

    protected abstract ImmutableList<Subscription> SubscriptionsOf(TState state);

    protected virtual string? PackIdOf(TState state) => null;

    protected abstract string Summarize(TState state);

    protected IEnteGrain Ente(string enteId) => GrainFactory.GetGrain<IEnteGrain>(enteId);

    /// <summary>
    /// The ente's membership (adhesion, withdrawal, listino) that an operation checks against; a detached import
    /// asked its ente once for all the ente's new objects.
    /// </summary>
    protected Task<EnteMembership> MembershipAsync(string enteId) =>
        _detached is { Membership: { } known } d && d.EnteId == enteId ? Task.FromResult(known) : Ente(enteId).GetMembershipAsync();

    /// <summary>Every call first finishes the steps a failed change left undone.</summary>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_finishing)
        {
            await FinishPendingAsync(rearm: true, mayBeDone: true);
            if (_rowsBehind)
            {
                await WriteDeadlineRowsAsync(State);
            }
        }

        await context.Invoke();
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!State.Exists)
        {
            return;
        }

        // Catch up on deadlines that fell while the object was not active (or the cluster was down).
        await HandleDueDeadlinesAsync(verifyReminder: true);

        // Keep the ente's billing snapshot in step if a write failed half-way.
        var seen = await Ente(State.EnteId).GetChildVersionAsync(Kind, Key);
        if (seen != State.Version)
        {
            await Ente(State.EnteId).ResyncChildAsync(SnapshotOf(State), seen);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        CstMetrics.RemindersHandled.Add(1, new KeyValuePair<string, object?>("grain", Kind.ToString()));
        if (!State.Exists)
        {
            await DisarmAsync();
            return;
        }

        await HandleDueDeadlinesAsync(verifyReminder: false);
        if (State.Deadlines.ArmedFor is null)
        {
            // A tick with nothing left to wait for (a leftover of an earlier arming): stop it.
            await DisarmAsync();
        }
    }

    /// <summary>Throws the domain error for an object that was never created.</summary>
    protected void EnsureExists()
    {
        if (!State.Exists)
        {
            throw new CstDomainError("NotFound", Id.ToString(), $"{Subject} does not exist");
        }
    }

    public Task<ChildSnapshot> GetSnapshotForAsync(string enteId)
    {
        EnsureExists();
        if (_storedByBatch)
        {
            // The import is done with this object: a national import must not leave every object active.
            DeactivateOnIdle();
        }

        if (State.EnteId != enteId)
        {
            throw new CstDomainError("NotOwned", Id.ToString(),
                $"{Subject} belongs to ente {State.EnteId}, not to ente {enteId}");
        }

        return Task.FromResult(SnapshotOf(State));
    }

    protected ChildSnapshot SnapshotOf(TState state) =>
        new(Kind, Key, state.Version, SubscriptionsOf(state), PackIdOf(state), Summarize(state));

    /// <summary>Applies a change (see the class remarks); <paramref name="after"/> has the object's new facts.</summary>
    /// <param name="tellEnte">False when the ente itself called (withdrawal): it stores the returned snapshot.</param>
    protected async Task<ChildSnapshot> CommitAsync(TState after, string action, string operatorName, bool tellEnte = true)
    {
        var before = State;
        var versioned = after.WithBookkeeping(before.Exists ? before.Version + 1 : 1, before.Exists ? before.Deadlines : DeadlineProgress.None);
        var snapshot = SnapshotOf(versioned);
        if (_batch is not null)
        {
            // Inside a bulk import: the change is kept in memory; ApplyAsOneAsync checks, writes and arms once.
            _state.State = versioned;
            _batch.Add(new AuditEntry(operatorName, Clock.GetCurrentInstant(), AuditObject, action,
                before.Exists ? Summarize(before) : null, Summarize(versioned)));
            return snapshot;
        }

        if (tellEnte)
        {
            await Ente(versioned.EnteId).PutChildAsync(snapshot);
        }

        var progress = await RunDeadlinesAsync(versioned);
        var final = versioned.WithBookkeeping(versioned.Version, progress);
        var audit = new AuditEntry(operatorName, Clock.GetCurrentInstant(), AuditObject, action,
            before.Exists ? Summarize(before) : null, Summarize(final));
        await WriteAsync(final.WithPendingAudit([audit]), before);
        // A new object has nothing armed yet (ArmedFor null), so an object created without deadlines costs no reminder I/O.
        await FinishPendingAsync(rearm: progress.ArmedFor != before.Deadlines.ArmedFor, mayBeDone: false);
        return snapshot;
    }

    /// <summary>
    /// Applies several operations as one change, in the order of a change: the operations run in memory (each checked
    /// by the domain as a separate call would be, each with its audit row); then (2) the ente checks the final
    /// snapshot, (3) deadlines are handled once, (4) the state is written once, (5) the reminder is armed once, (6)
    /// the audit rows are written in one insert. Anything refused leaves the object as it was, with nothing written.
    /// A bulk import leaves <paramref name="attach"/> false: the ente only checks, and the importer attaches the
    /// objects (<c>IEnteGrain.AttachImportedAsync</c>, which asks each for its snapshot); an operator's single decision (request and activate a
    /// mailbox) sets it, so the ente checks and stores the snapshot as for any change.
    /// </summary>
    protected async Task<ImportedChild> ApplyAsOneAsync(Func<Task> operations, bool attach = false)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var before = State;
        var audit = new List<AuditEntry>();
        _batch = audit;
        try
        {
            await operations();
        }
        catch
        {
            _state.State = before;
            throw;
        }
        finally
        {
            _batch = null;
        }

        if (audit.Count == 0)
        {
            return new ImportedChild(SnapshotOf(State), Changed: false);
        }

        var changed = State;
        _state.State = before;
        var snapshot = SnapshotOf(changed);
        if (attach)
        {
            await Ente(changed.EnteId).PutChildAsync(snapshot);
        }
        else if (_detached is { } checking && checking.EnteId == changed.EnteId)
        {
            // The ente's check against the membership it gave the import, without a call per object: a refused object
            // fails alone here as it would in the ente, and the ente checks every snapshot again when it stores them.
            if (EnteGrain.RefusalOf(changed.EnteId, checking.Membership, snapshot) is { } refusal)
            {
                throw refusal;
            }
        }
        else
        {
            await Ente(changed.EnteId).CheckChildAsync(snapshot);
        }

        var progress = await RunDeadlinesAsync(changed);
        var final = changed.WithBookkeeping(changed.Version, progress);
        if (_detached is { } detached)
        {
            // No activation behind this instance: the rows go to the import that runs it, which writes them with the
            // rest of the ente's new objects.
            detached.Rows = RowsOf(final, [.. audit], Services.ImportWriter!.Format, out var armHere) with { Notices = detached.Notices };
            detached.ArmOnActivation = armHere;
            _state.State = final;
            return new ImportedChild(snapshot, Changed: true);
        }

        if (!attach && !_state.RecordExists && Services.ImportWriter is { Enabled: true } writer)
        {
            await WriteNewInBatchAsync(writer, final, before, [.. audit]);
            return new ImportedChild(snapshot, Changed: true);
        }

        await WriteAsync(final.WithPendingAudit([.. audit]), before);
        await FinishPendingAsync(rearm: progress.ArmedFor != before.Deadlines.ArmedFor, mayBeDone: false);
        return new ImportedChild(snapshot, Changed: true);
    }

    /// <summary>
    /// A new object of a bulk import: its state row, reminder row and audit rows go to the import's batch writer, one
    /// transaction for many objects (all of this object's rows or none), instead of three round trips. Nothing is
    /// pending afterwards: the rows are written together. A reminder due within <see cref="ReminderLoadLead"/> is armed
    /// here after the batch, since the silos load such reminders into memory only when they next read the table.
    /// </summary>
    private async Task WriteNewInBatchAsync(ImportedObjectWriter writer, TState final, TState before, ImmutableList<AuditEntry> audit)
    {
        _state.State = final;
        bool armHere;
        try
        {
            await writer.WriteAsync(RowsOf(final, audit, writer.Format, out armHere));
        }
        catch
        {
            _state.State = before;
            DeactivateOnIdle();
            throw;
        }

        _storedByBatch = true;
        if (armHere)
        {
            // If this fails the state is stored all the same; the next activation finds the reminder missing and arms it.
            await ArmAsync(final.Deadlines);
        }
    }

    /// <summary>
    /// The rows of a new object in <paramref name="final"/> state; no reminder row when the reminder is due within
    /// <see cref="ReminderLoadLead"/> (<paramref name="armHere"/>: the grain arms it itself, in memory).
    /// </summary>
    private ImportedObjectRows RowsOf(TState final, ImmutableList<AuditEntry> audit, IStateRowFormat format, out bool armHere)
    {
        var grainId = Id;
        Instant? start = final.Deadlines.ArmedFor is { } due ? BusinessTime.HandlingInstant(due) : null;
        armHere = start is { } s && s - Clock.GetCurrentInstant() < ReminderLoadLead;
        return new ImportedObjectRows(format.Format(StateName, grainId, final), grainId.ToString(), unchecked((int)grainId.GetUniformHashCode()), ReminderName,
            armHere ? null : start, SafetyPeriod, audit, new ObjectDeadlines(Kind, Key, final.EnteId, ListedDeadlines(final)));
    }

    /// <summary>How far ahead a reminder must be due for a row written by the batch to be enough (silos re-read the table every 5 minutes).</summary>
    private static readonly Duration ReminderLoadLead = Duration.FromMinutes(15);

    /// <summary>The name of the object's persistent state (the storage row's grain type).</summary>
    protected abstract string StateName { get; }

    /// <summary>
    /// The steps after the state write of the last change, if it has any left: re-arm the reminder for the stored next
    /// deadline (when <paramref name="rearm"/>), then insert the audit rows (one statement, all or none). They are
    /// cleared in memory only; the stored copy goes with the next write, and until then a new activation asks the audit
    /// log whether the rows are there (<paramref name="mayBeDone"/>) before doing them again.
    /// </summary>
    private async Task FinishPendingAsync(bool rearm, bool mayBeDone)
    {
        var pending = State.PendingAudit;
        if (pending.Count == 0)
        {
            return;
        }

        _finishing = true;
        try
        {
            await FinishPendingStepsAsync(pending, rearm, mayBeDone);
        }
        finally
        {
            _finishing = false;
        }
    }

    private async Task FinishPendingStepsAsync(ImmutableList<AuditEntry> pending, bool rearm, bool mayBeDone)
    {
        if (!mayBeDone || !await Services.Audit.ContainsAsync(pending[0].ChangeId))
        {
            if (rearm)
            {
                await ArmAsync(State.Deadlines);
            }

            // In the step of the reminder, before the audit row that marks the change complete.
            await WriteDeadlineRowsAsync(State);
            await Services.Audit.RecordManyAsync(pending);
        }

        _state.State = State.WithPendingAudit([]);
    }

    /// <summary>Handles what is due by today, persists the progress and re-arms the reminder.</summary>
    protected async Task HandleDueDeadlinesAsync(bool verifyReminder)
    {
        var before = State;
        var progress = await RunDeadlinesAsync(before);
        if (progress != before.Deadlines)
        {
            await WriteAsync(before.WithBookkeeping(before.Version, progress), before);
            await ArmAsync(progress);
            await TryWriteDeadlineRowsAsync();
        }
        else if (verifyReminder && progress.ArmedFor is not null && await this.GetReminder(ReminderName) is null)
        {
            await ArmAsync(progress);
        }
    }

    public Task<ImmutableList<UpcomingDeadline>> ListedDeadlinesAsync() =>
        Task.FromResult<ImmutableList<UpcomingDeadline>>(
            [.. ListedDeadlines(State).Select(d => new UpcomingDeadline(d.Due, d.Kind, State.EnteId, string.Empty, Key, d.Description))]);

    /// <summary>
    /// The deadlines the read model lists for <paramref name="state"/>: from today (included) to a year
    /// (<see cref="IAdminQueryGrain.MaxDeadlineDays"/>) after the deadline the reminder is armed for, so the rows reach a
    /// year ahead until the reminder fires and they are written again.
    /// </summary>
    protected IReadOnlyList<Deadline> ListedDeadlines(TState state)
    {
        if (!state.Exists || ScheduleOf(state) is not { } schedule)
        {
            return [];
        }

        var today = Today;
        var armed = state.Deadlines.ArmedFor is { } next && next > today ? next : today;
        var upTo = armed.PlusDays(IAdminQueryGrain.MaxDeadlineDays);
        return schedule.DueIn(today.PlusDays(-1), upTo < Guard.LatestDate ? upTo : Guard.LatestDate);
    }

    private async Task WriteDeadlineRowsAsync(TState state)
    {
        await Services.ReadModels.ReplaceDeadlinesAsync([new ObjectDeadlines(Kind, Key, state.EnteId, ListedDeadlines(state))]);
        _rowsBehind = false;
    }

    /// <summary>After a deadline fired: a failed write of the rows must not stop the handling (notices, reminder).</summary>
    private async Task TryWriteDeadlineRowsAsync()
    {
        try
        {
            await WriteDeadlineRowsAsync(State);
        }
        catch (CstInfrastructureError e)
        {
            _rowsBehind = true;
            Services.Logger.LogWarning("{Subject}: the upcoming deadlines could not be written, the next call writes them: {Error}", Subject, e.Message);
        }
    }

    private async Task<DeadlineProgress> RunDeadlinesAsync(TState state)
    {
        var schedule = ScheduleOf(state);
        if (schedule is null)
        {
            return state.Deadlines;
        }

        var today = Today;
        var batch = state.Deadlines.HandledThrough is { } handled
            ? NoticePolicy.CatchUp(schedule, handled, today)
            : NoticePolicy.Start(schedule, today);
        foreach (var deadline in batch.ToNotice)
        {
            await Services.Notices.RecordAsync(
                new Notice(state.EnteId, Key, deadline.Kind.ToString(), deadline.Due, deadline.Description));
        }

        if (batch.Skipped.Count > 0)
        {
            Services.Logger.LogDebug("{Subject}: {Count} deadline(s) before tracking started marked handled without notice",
                Subject, batch.Skipped.Count);
        }

        var next = DeadlineWindow.Next(schedule, batch.HandledThrough);
        return new DeadlineProgress(batch.HandledThrough, next?.Due, next?.Kind);
    }

    private async Task WriteAsync(TState next, TState previous)
    {
        if (_storedByBatch)
        {
            // The row was written by the import's batch: read it back for its version before writing over it.
            await _state.ReadStateAsync();
            _storedByBatch = false;
        }

        _state.State = next;
        try
        {
            await _state.WriteStateAsync();
        }
        catch
        {
            // What is stored is unknown now: drop the activation so the next call reads it again.
            _state.State = previous;
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task ArmAsync(DeadlineProgress progress)
    {
        if (progress.ArmedFor is not { } due)
        {
            await DisarmAsync();
            return;
        }

        var dueTime = (BusinessTime.HandlingInstant(due) - Clock.GetCurrentInstant()).ToTimeSpan();
        if (dueTime < TimeSpan.FromSeconds(1))
        {
            dueTime = TimeSpan.FromSeconds(1);
        }

        await this.RegisterOrUpdateReminder(ReminderName, dueTime, SafetyPeriod);
    }

    private async Task DisarmAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}

/// <summary>How long an idle mailbox, device or hosted service stays active.</summary>
public static class OwnedObjectCollection
{
    /// <summary>
    /// Minutes. Short, because a national service has 500,000 of them and almost nothing needs them active: the enti
    /// bill from their snapshots, and the import lets each go as soon as its ente holds its snapshot. At Orleans'
    /// default (15 minutes) a silo that touched every object held them all (3.1 GiB after a national import).
    /// </summary>
    public const int AgeMinutes = 2;
}

/// <summary>The services every grain of this project uses, in one constructor parameter.</summary>
public sealed class GrainServices(IClock clock, INoticeLog notices, IAuditLog audit, ICatalogueSource catalogue,
    IReadModelStore readModels, ILogger<GrainServices> logger, ImportedObjectWriter? importWriter = null,
    StoredStateReader? storedStates = null)
{
    /// <summary>Reads many grains' stored states in one query (a billing run's enti); null where the storage has no row format.</summary>
    public StoredStateReader? StoredStates { get; } = storedStates;

    public IReadModelStore ReadModels { get; } = readModels;

    /// <summary>Batches the rows of a bulk import's new objects; null where the silo's storage has no row format.</summary>
    public ImportedObjectWriter? ImportWriter { get; } = importWriter;

    public IClock Clock { get; } = clock;

    public INoticeLog Notices { get; } = notices;

    public IAuditLog Audit { get; } = audit;

    public ICatalogueSource Catalogue { get; } = catalogue;

    public ILogger Logger { get; } = logger;

    /// <summary>
    /// The same services with notices going to <paramref name="log"/> (a detached import keeps them for its batch) and,
    /// if given, the listini from <paramref name="catalogue"/>.
    /// </summary>
    public GrainServices WithNotices(INoticeLog log, ICatalogueSource? catalogue = null) =>
        new(Clock, log, Audit, catalogue ?? Catalogue, ReadModels, logger, ImportWriter);
}
