using System.Collections.Immutable;
using Cst.Actors.Contracts;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Pricing;
using Cst.Actors.Grains.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Cst.Actors.Grains;

/// <summary>How a billing run works through the enti.</summary>
public sealed class BillingRunOptions
{
    /// <summary>Enti computed and written at the same time (bounded parallelism).</summary>
    public int MaxParallelism { get; set; } = 8;

    /// <summary>The progress kept in grain state is written after this many enti (the tables hold the truth).</summary>
    public int ProgressChunk { get; set; } = 25;

    /// <summary>
    /// Enti whose outcomes are written in one transaction (statements, lines and outcomes in three multi-row
    /// statements): one commit per chunk rather than per ente. A chunk is written while the next one is computed.
    /// A run is cut into at least 20 chunks, so its progress still moves in small steps.
    /// </summary>
    public int WriteChunk { get; set; } = 100;

    /// <summary>
    /// Chunks written at the same time, each in its own transaction, while the next is computed: the database writes on
    /// more than one core when the enti price faster than one connection writes.
    /// </summary>
    public int ConcurrentWrites { get; set; } = 2;

    /// <summary>A pause after each ente, to spread a run's load on the database over time; none by default.</summary>
    public TimeSpan PausePerEnte { get; set; } = TimeSpan.Zero;

    /// <summary>A running run that has billed no ente for this long is shown as stuck (with why, when known).</summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(3);
}

/// <summary>One revision of a run as the grain keeps it. Never renumber the ids.</summary>
[GenerateSerializer, Immutable, Alias("cst.BillingRevisionState")]
public sealed record BillingRevisionState(
    [property: Id(0)] int Revision,
    [property: Id(1)] BillingRunStatus Status,
    [property: Id(2)] int Attempt,
    [property: Id(3)] LocalDate AsOf,
    [property: Id(4)] string StartedBy,
    [property: Id(5)] Instant StartedAt)
{
    [Id(6)] public Instant? CompletedAt { get; init; }

    [Id(7)] public Instant? ClosedAt { get; init; }

    [Id(8)] public string? ClosedBy { get; init; }

    [Id(9)] public int EntiTotal { get; init; }

    [Id(10)] public int EntiDone { get; init; }

    [Id(11)] public int EntiFailed { get; init; }

    [Id(12)] public decimal Total { get; init; }

    [Id(13)] public int Lines { get; init; }

    [Id(14)] public Instant? CancelledAt { get; init; }

    [Id(15)] public string? CancelledBy { get; init; }
}

/// <summary>The stored record of a billing run: its revisions, oldest first. Never renumber the ids.</summary>
[GenerateSerializer, Immutable, Alias("cst.BillingRunState")]
public sealed record BillingRunState
{
    [Id(0)] public ImmutableList<BillingRevisionState> Revisions { get; init; } = [];
}

/// <summary>
/// The year-end billing run of one year in one mode (key <c>2025/final</c>, <c>2026/preview</c>). Its lifecycle:
/// <list type="number">
/// <item><b>Start</b>: a new revision (or a new attempt of a preview) is recorded in state, a reminder is armed, and
/// the work begins: the run and its enti are recorded in the billing tables, all pending.</item>
/// <item><b>Running</b>: the pending enti are billed, <see cref="BillingRunOptions.MaxParallelism"/> at a time; each
/// ente's statement, lines and outcome are written in one idempotent transaction; progress is kept in memory and
/// written to state every <see cref="BillingRunOptions.ProgressChunk"/> enti. If the silo dies, the activation on
/// another silo (made by the next call or by the reminder's tick, every minute) resumes with the enti still pending
/// in the tables: the result is the same as an uninterrupted run and no row is written twice.</item>
/// <item>An ente that cannot be billed (a broken rule, data that cannot be priced or written: see
/// <see cref="BillingFaults"/>) is recorded as failed with the reason and the run goes on; a failure that passes by
/// itself (the database or a silo away) stops the work until the next tick, and the run is shown as stuck with why.</item>
/// <item><b>Completed</b>: every ente is done; the reminder is dropped. A final revision with failed enti cannot be
/// closed: they are corrected and the revision computed again (recompute).</item>
/// <item><b>Cancelled</b>: an operator stopped it while running (audited); the next start computes it again.</item>
/// <item><b>Closed</b> (final only): immutable, in state and in the tables (a trigger refuses changes). Starting the
/// year again opens revision n+1, billing only the differences from revisions 1..n (<see cref="Adjustments"/>).</item>
/// </list>
/// </summary>
[GrainType("billingrun")]
public sealed class BillingRunGrain(
    [PersistentState("billingrun", StorageNames.Default)] IPersistentState<BillingRunState> state,
    GrainServices services,
    IBillingStore store,
    IOptions<BillingRunOptions> options,
    IOptions<Documents.IssuerSettings> issuer,
    ILocalSiloDetails silo)
    : Grain, IBillingRunGrain, IRemindable
{
    /// <summary>The reminder that keeps a running run alive: each tick resumes it if nothing is working on it.</summary>
    public const string ReminderName = "billing-run";

    private static readonly TimeSpan Tick = TimeSpan.FromMinutes(1);

    private readonly BillingRunOptions _options = options.Value;
    private Task? _work;
    private CancellationTokenSource? _cancel;
    private Task _stateWrite = Task.CompletedTask;
    private BillingProgress? _progress;

    // The listini of the enti billed from their stored states, asked once per run (see BillStoredAsync).
    private readonly Dictionary<string, Task<Domain.Catalogue.Listino>> _listini = new(StringComparer.Ordinal);

    // Where the pricing of enti read from storage goes, for the run's closing log line: waiting on the read of the
    // stored states, decoding them, pricing them, and the statements' completion (payers, adjustments).
    private TimeSpan _reading, _decoding, _pricing, _completing;

    // Why the run is not moving, while it is not (kept on this activation only; cleared as soon as a chunk is written).
    private string? _stuck;
    private Instant? _stuckSince;
    private ImmutableList<BillingRunFailure> _stuckEnti = [];
    private Instant? _lastMoved;

    private (int Year, BillingRunMode Mode) Key => BillingRunKey.Parse(this.GetPrimaryKeyString());

    private int Year => Key.Year;

    private BillingRunMode Mode => Key.Mode;

    private string Subject => $"billing run {Year} {BillingExport.Mode(Mode)}";

    private BillingRevisionState? Current => state.State.Revisions.LastOrDefault();

    private BillingRunId RunOf(BillingRevisionState revision) => new(Year, Mode, revision.Revision);

    // ---- Start

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A run that was running when its silo went away goes on here.
        if (Current?.Status == BillingRunStatus.Running)
        {
            EnsureWorking();
        }

        return Task.CompletedTask;
    }

    public async Task<BillingRunView> StartAsync(string operatorName, bool recompute = false)
    {
        var op = BusinessTime.Operator(operatorName);
        if (_work is { IsCompleted: false } && Current?.Status != BillingRunStatus.Running)
        {
            // The previous work has recorded its completion but is still dropping its reminder: let it finish, or it
            // would drop the reminder of the run started now (a start right after a completion, as a benchmark does).
            await _work;
        }

        var today = services.Clock.Today();
        var current = Current;
        if (current?.Status == BillingRunStatus.Running)
        {
            EnsureWorking();
            return await GetProgressAsync();
        }

        BillingRevisionState next;
        if (Mode == BillingRunMode.Preview)
        {
            if (Year > PreviewProjection.LatestYear(today))
            {
                throw new IllegalTransitionException(Subject, "start",
                    $"a preview on {Iso(today)} can look ahead to {PreviewProjection.LatestYear(today)} at most, not {Year}")
                {
                    Code = RefusalCode.RunPreviewTooFar, Args = [Subject, Iso(today), Num(PreviewProjection.LatestYear(today)), Num(Year)],
                };
            }

            next = new BillingRevisionState(0, BillingRunStatus.Running, (current?.Attempt ?? 0) + 1, today, op, services.Clock.GetCurrentInstant());
        }
        else
        {
            if (today < new LocalDate(Year + 1, 1, 1))
            {
                throw new IllegalTransitionException(Subject, "start",
                    $"the final run of {Year} starts once the year is over (from 1 January {Year + 1}); today is {Iso(today)}: make a preview")
                {
                    Code = RefusalCode.RunFinalTooEarly, Args = [Subject, Num(Year), Num(Year + 1), Iso(today)],
                };
            }

            if (current?.Status == BillingRunStatus.Completed && !recompute)
            {
                return await GetProgressAsync();
            }

            var revision = current is null ? 1 : current.Status == BillingRunStatus.Closed ? current.Revision + 1 : current.Revision;
            var attempt = current is not null && current.Revision == revision ? current.Attempt + 1 : 1;
            next = new BillingRevisionState(revision, BillingRunStatus.Running, attempt, today, op, services.Clock.GetCurrentInstant());
        }

        var revisions = current is not null && current.Revision == next.Revision
            ? state.State.Revisions.SetItem(state.State.Revisions.Count - 1, next)
            : state.State.Revisions.Add(next);
        state.State = state.State with { Revisions = revisions };
        _progress = null;
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(ReminderName, Tick, Tick);
        await services.Audit.RecordAsync(new AuditEntry(op, services.Clock.GetCurrentInstant(), "billing:" + this.GetPrimaryKeyString(),
            "start", null, $"revision {next.Revision}, attempt {next.Attempt}, as of {Iso(today)}"));
        EnsureWorking();
        return await GetProgressAsync();
    }

    // ---- Running

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        CstMetrics.RemindersHandled.Add(1, new KeyValuePair<string, object?>("grain", "billingrun"));
        if (Current?.Status == BillingRunStatus.Running)
        {
            EnsureWorking();
        }
        else if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Starts the work on this activation unless it is under way.</summary>
    private void EnsureWorking()
    {
        if (_work is null || _work.IsCompleted)
        {
            _cancel?.Dispose();
            _cancel = new CancellationTokenSource();
            _work = WorkAsync(_cancel.Token);
        }
    }

    private async Task WorkAsync(CancellationToken cancelled)
    {
        var revision = Current!;
        var run = RunOf(revision);
        // Where the run's time goes, for its closing log line: starting (a recompute deletes the previous attempt's
        // rows), pricing the enti, waiting for the previous chunk's write, and writing.
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan begin = default, computing = default, waitingOnWrites = default, writingTotal = default;
        var tags = CstMetrics.RunTags(Year, Mode);
        long pendingMeasured = 0;
        try
        {
            // Keeps the activation while the run works, however long between calls.
            DelayDeactivation(TimeSpan.FromMinutes(10));
            _lastMoved ??= services.Clock.GetCurrentInstant();
            var enti = await GrainFactory.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key).ListAsync();
            await store.BeginAsync(run, revision.Attempt, revision.AsOf, revision.StartedBy, revision.StartedAt,
                [.. enti.Select(e => e.EnteId).Distinct(StringComparer.Ordinal)]);
            var pending = await store.PendingAsync(run);
            _progress = await store.ProgressAsync(run);
            begin = elapsed.Elapsed;
            pendingMeasured = pending.Count;
            CstMetrics.EntiPending.Add(pendingMeasured, tags);
            services.Logger.LogInformation("{Run}: {Pending} of {Total} enti to bill on {Silo}", run, pending.Count, _progress.EntiTotal, silo.SiloAddress);

            var views = new Dictionary<string, Task<EnteView>>(StringComparer.Ordinal);
            _listini.Clear();
            (_reading, _decoding, _pricing, _completing) = (default, default, default, default);
            using var gate = new SemaphoreSlim(Math.Max(1, _options.MaxParallelism));
            var sinceWrite = 0;
            var writing = new Queue<Task>();
            // At most WriteChunk enti per transaction, and at least 20 chunks, so progress moves in small steps.
            var chunkSize = Math.Clamp(pending.Count / 20, 1, Math.Max(1, _options.WriteChunk));
            var chunks = pending.Chunk(chunkSize).ToList();
            // The enti's stored states are read a chunk at a time, the next chunk's while this one is priced.
            var reader = services.StoredStates;
            var read = reader is not null && chunks.Count > 0 ? ReadEntiAsync(reader, chunks[0]) : null;
            for (var c = 0; c < chunks.Count; c++)
            {
                var chunk = chunks[c];
                cancelled.ThrowIfCancellationRequested();
                var mark = elapsed.Elapsed;
                BilledEnte[] outcomes;
                if (read is not null)
                {
                    var payloads = await read;
                    _reading += elapsed.Elapsed - mark;
                    read = c + 1 < chunks.Count ? ReadEntiAsync(reader!, chunks[c + 1]) : null;
                    outcomes = await BillStoredAsync(run, chunk, payloads, views, reader!, gate, cancelled);
                    computing += elapsed.Elapsed - mark;
                    mark = elapsed.Elapsed;
                    while (writing.Count >= Math.Max(1, _options.ConcurrentWrites))
                    {
                        await writing.Dequeue();
                    }

                    waitingOnWrites += elapsed.Elapsed - mark;
                    writing.Enqueue(WriteChunkAsync(outcomes));
                    continue;
                }

                // Without a reader of stored states, each ente prices itself on its own activation, MaxParallelism at a
                // time; the chunk is written as one transaction while the next chunks are computed.
                outcomes = await Task.WhenAll(chunk.Select(async enteId =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        cancelled.ThrowIfCancellationRequested();
                        var (statement, failure) = await BillEnteAsync(run, enteId, views,
                            () => GrainFactory.GetGrain<IEnteGrain>(enteId).BillAsync(Year, Mode));
                        if (_options.PausePerEnte > TimeSpan.Zero)
                        {
                            await Task.Delay(_options.PausePerEnte);
                        }

                        return new BilledEnte(enteId, statement, failure);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
                computing += elapsed.Elapsed - mark;
                mark = elapsed.Elapsed;
                while (writing.Count >= Math.Max(1, _options.ConcurrentWrites))
                {
                    await writing.Dequeue();
                }

                waitingOnWrites += elapsed.Elapsed - mark;
                writing.Enqueue(WriteChunkAsync(outcomes));
            }

            var last = elapsed.Elapsed;
            await Task.WhenAll(writing);
            waitingOnWrites += elapsed.Elapsed - last;

            async Task WriteChunkAsync(BilledEnte[] outcomes)
            {
                var started = elapsed.Elapsed;
                try
                {
                    await store.WriteEntiAsync(run, outcomes);
                }
                catch (Exception e) when (!BillingFaults.IsTransient(e))
                {
                    // Refused for what one ente's rows hold (an amount, a constraint, a trigger), not for an outage:
                    // the enti are written one by one, and the one refused is recorded as failed with the reason.
                    outcomes = await WriteEachAsync(run, outcomes);
                }

                writingTotal += elapsed.Elapsed - started;
                _stuck = null;
                _stuckSince = null;
                _stuckEnti = [];
                _lastMoved = services.Clock.GetCurrentInstant();
                CstMetrics.EntiBilled.Add(outcomes.Length, tags);
                CstMetrics.EntiFailed.Add(outcomes.Count(o => o.Failure is not null), tags);
                CstMetrics.EntiPending.Add(-outcomes.Length, tags);
                pendingMeasured -= outcomes.Length;
                var p = _progress!;
                _progress = p with
                {
                    EntiDone = p.EntiDone + outcomes.Length,
                    EntiFailed = p.EntiFailed + outcomes.Count(o => o.Failure is not null),
                    Total = p.Total + Money.Sum(outcomes.Select(o => o.Statement?.Total ?? Money.Zero)),
                    Lines = p.Lines + outcomes.Sum(o => o.Statement?.Lines.Count ?? 0),
                };
                sinceWrite += outcomes.Length;
                if (sinceWrite >= _options.ProgressChunk && _stateWrite.IsCompleted)
                {
                    sinceWrite = 0;
                    _stateWrite = WriteProgressAsync(BillingRunStatus.Running);
                }
            }

            await _stateWrite;
            cancelled.ThrowIfCancellationRequested();
            _progress = await store.ProgressAsync(run);
            var done = _progress;
            await store.CompleteAsync(run, services.Clock.GetCurrentInstant());
            await WriteProgressAsync(BillingRunStatus.Completed);
            CstMetrics.RunsCompleted.Add(1, tags);
            if (await this.GetReminder(ReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            services.Logger.LogInformation(
                "{Run}: completed, {Done} enti, {Failed} failed, {Lines} lines, total {Total}, in {Elapsed:F2} s: starting {Begin:F2} s, "
                + "pricing {Computing:F2} s (from stored states: waiting on reads {Reading:F2} s, decoding {Decoding:F2} s, pricing {Pricing:F2} s, "
                + "payers and adjustments {Completing:F2} s), waiting on writes {Waiting:F2} s (writing {Writing:F2} s, alongside the pricing)",
                run, done.EntiDone, done.EntiFailed, done.Lines, done.Total, elapsed.Elapsed.TotalSeconds, begin.TotalSeconds,
                computing.TotalSeconds, _reading.TotalSeconds, _decoding.TotalSeconds, _pricing.TotalSeconds, _completing.TotalSeconds,
                waitingOnWrites.TotalSeconds, writingTotal.TotalSeconds);
        }
        catch (OperationCanceledException) when (cancelled.IsCancellationRequested)
        {
            services.Logger.LogInformation("{Run}: cancelled", run);
        }
        catch (Exception e)
        {
            // Left running: the reminder's next tick (or the next activation) resumes from the tables. Until something
            // moves again, the progress says why it does not.
            _stuck = FirstLine(e is AggregateException { InnerException: { } inner } ? inner.Message : e.Message);
            _stuckSince ??= services.Clock.GetCurrentInstant();
            services.Logger.LogWarning(e, "{Run}: interrupted; it resumes at the next reminder tick", run);
        }
        finally
        {
            // What an interrupted run left pending here is counted again by the silo that resumes it.
            CstMetrics.EntiPending.Add(-pendingMeasured, tags);
        }
    }

    /// <summary>
    /// The outcomes of a chunk whose write was refused, written one ente at a time: the enti whose rows are refused
    /// are recorded as failed with what the database said, the others as computed.
    /// </summary>
    private async Task<BilledEnte[]> WriteEachAsync(BillingRunId run, BilledEnte[] outcomes)
    {
        var written = new BilledEnte[outcomes.Length];
        for (var i = 0; i < outcomes.Length; i++)
        {
            var outcome = outcomes[i];
            try
            {
                await store.WriteEntiAsync(run, [outcome]);
                written[i] = outcome;
            }
            catch (Exception e) when (outcome.Failure is null && !BillingFaults.IsTransient(e))
            {
                services.Logger.LogWarning(e, "{Run}: the statement of ente {Ente} was refused; the ente is failed", run, outcome.EnteId);
                var failed = new BilledEnte(outcome.EnteId, null, $"its statement could not be written: {BillingFaults.Reason(e)}");
                await store.WriteEntiAsync(run, [failed]);
                written[i] = failed;
            }
        }

        return written;
    }

    private static string FirstLine(string message)
    {
        var line = message.ReplaceLineEndings("\n").Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "..." : line;
    }

    private Task<byte[]?[]> ReadEntiAsync(StoredStateReader reader, string[] enti) =>
        reader.ReadAsync(EnteStateName, [.. enti.Select(EnteGrainId)]);

    private const string EnteStateName = "ente";

    private static GrainId EnteGrainId(string enteId) => GrainId.Create(EnteStateName, enteId);

    /// <summary>
    /// A chunk of enti billed from their stored states, without activating them: the states are decoded and priced by
    /// the pure domain on the thread pool (every core, not this grain's one turn at a time), then each statement is
    /// completed as <see cref="BillEnteAsync"/> does for an ente that prices itself. A state that cannot be decoded here
    /// is left to the ente's own activation.
    /// </summary>
    private async Task<BilledEnte[]> BillStoredAsync(BillingRunId run, string[] chunk, byte[]?[] payloads,
        Dictionary<string, Task<EnteView>> views, StoredStateReader reader, SemaphoreSlim gate, CancellationToken cancelled)
    {
        var (thisYear, year, mode) = (services.Clock.Today().Year, Year, Mode);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Math.Min(_options.MaxParallelism, Environment.ProcessorCount)) };
        var states = new EnteState?[chunk.Length];
        var undecoded = new bool[chunk.Length];
        var span = System.Diagnostics.Stopwatch.StartNew();
        await Task.Run(() => Parallel.For(0, chunk.Length, parallel, i =>
        {
            if (payloads[i] is not { } payload)
            {
                return;
            }

            states[i] = DecodedOrNull(reader, payload);
            undecoded[i] = states[i] is null;
        }), cancelled);

        _decoding += span.Elapsed;
        span.Restart();

        // The listini are the cluster's (each listino's grain), asked once per run.
        foreach (var listinoId in states.Where(s => s?.Registration is not null).Select(s => s!.Registration!.ListinoId).Distinct(StringComparer.Ordinal))
        {
            if (!_listini.TryGetValue(listinoId, out var held) || held.IsFaulted)
            {
                _listini[listinoId] = services.Catalogue.GetAsync(listinoId);
            }

            try
            {
                await _listini[listinoId];
            }
            catch (Exception e) when (e is DomainException or CstDomainError)
            {
                // Each ente of that listino fails with the reason, as when it prices itself.
            }
        }

        var billings = new Task<EnteBilling>?[chunk.Length];
        var listini = _listini;
        await Task.Run(() => Parallel.For(0, chunk.Length, parallel, i =>
        {
            if (undecoded[i])
            {
                return;
            }

            try
            {
                billings[i] = states[i] is { Registration: { } registration } stored
                    ? Task.FromResult(EnteGrain.BillingOf(chunk[i], stored, listini[registration.ListinoId].GetAwaiter().GetResult(), year, mode, thisYear))
                    : Task.FromException<EnteBilling>(new CstDomainError("NotFound", EnteGrainId(chunk[i]).ToString(), $"ente {chunk[i]} is not registered",
                        RefusalCode.EnteNotRegistered, ["ente " + chunk[i]]));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                billings[i] = Task.FromException<EnteBilling>(e);
            }
        }), cancelled);

        _pricing += span.Elapsed;
        span.Restart();

        // The payers' views: the capofila of an ente of this chunk that no chunk has read yet is read here, in one
        // query per step of the chain (a capofila paying through another one).
        var frontier = new List<string?>();
        for (var i = 0; i < chunk.Length; i++)
        {
            if (billings[i] is { IsCompletedSuccessfully: true } billed)
            {
                views[chunk[i]] = Task.FromResult(billed.Result.View);
                frontier.Add(billed.Result.View.CapofilaIn(Year));
            }
        }

        for (var step = 0; step < 4; step++)
        {
            var missing = frontier.OfType<string>().Where(id => !views.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
            if (missing.Count == 0)
            {
                break;
            }

            frontier = [];
            var read = await ReadEntiAsync(reader, [.. missing]);
            for (var i = 0; i < missing.Count; i++)
            {
                if (read[i] is { } payload && DecodedOrNull(reader, payload) is { Registration: not null } stored)
                {
                    var view = EnteGrain.BillingViewOf(missing[i], stored, thisYear);
                    views[missing[i]] = Task.FromResult(view);
                    frontier.Add(view.CapofilaIn(Year));
                }
            }
        }

        var outcomes = await Task.WhenAll(chunk.Select(async (enteId, i) =>
        {
            await gate.WaitAsync();
            try
            {
                cancelled.ThrowIfCancellationRequested();
                var (statement, failure) = await BillEnteAsync(run, enteId, views,
                    () => billings[i] ?? GrainFactory.GetGrain<IEnteGrain>(enteId).BillAsync(Year, Mode));
                if (_options.PausePerEnte > TimeSpan.Zero)
                {
                    await Task.Delay(_options.PausePerEnte);
                }

                return new BilledEnte(enteId, statement, failure);
            }
            finally
            {
                gate.Release();
            }
        }));
        _completing += span.Elapsed;
        return outcomes;
    }

    /// <summary>A stored state, or null when it cannot be decoded here (the ente's activation is then asked instead).</summary>
    private static EnteState? DecodedOrNull(StoredStateReader reader, byte[] payload)
    {
        try
        {
            return reader.Decode<EnteState>(payload);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>One ente's statement for this revision, or why it could not be billed.</summary>
    private async Task<(BilledStatement? Statement, string? Failure)> BillEnteAsync(
        BillingRunId run, string enteId, Dictionary<string, Task<EnteView>> views, Func<Task<EnteBilling>> bill)
    {
        try
        {
            var billing = await bill();
            var view = billing.View;
            views[enteId] = Task.FromResult(view);
            var lines = billing.Lines;
            if (run.Revision > 1)
            {
                lines = Adjustments.Compute(lines, await store.BilledBeforeAsync(Year, run.Revision, enteId));
            }

            // The payer: the capofila in force for the run's year, followed while it pays through another one (the
            // views of the chain are fetched first, then the domain's rule picks the payer). A later payer change
            // never reaches this year's statements.
            var link = enteId;
            var seen = new HashSet<string>(StringComparer.Ordinal) { enteId };
            while ((await ViewAsync(link, views)).CapofilaIn(Year) is { } next && seen.Add(next))
            {
                link = next;
            }

            var payer = PayerGrouping.PayerOf(enteId, id => views.TryGetValue(id, out var v) && v.IsCompletedSuccessfully ? v.Result.CapofilaIn(Year) : null);
            var payerName = (await ViewAsync(payer, views)).Registration.Name;
            var statement = new BilledStatement(Year, Mode, run.Revision, enteId, view.Registration.Name, payer, payerName, lines);
            return BillingFaults.Unwritable(statement) is { } why ? (null, why) : (statement, null);
        }
        catch (Exception e) when (e is DomainException or CstDomainError)
        {
            return (null, e.Message);
        }
        catch (Exception e) when (!BillingFaults.IsTransient(e))
        {
            // The same every time it is tried (e.g. an amount overflowing): retrying would hold the run up for ever.
            services.Logger.LogWarning(e, "{Run}: ente {Ente} could not be billed", run, enteId);
            return (null, $"its statement could not be computed: {FirstLine(BillingFaults.Reason(e))}");
        }
        catch (Exception e)
        {
            // The latest error of each ente the run waits on (the work is tried again every tick).
            _stuckEnti = _stuckEnti.RemoveAll(f => f.EnteId == enteId).Add(new BillingRunFailure(enteId, FirstLine(e.Message)));
            throw;
        }
    }

    private Task<EnteView> ViewAsync(string enteId, Dictionary<string, Task<EnteView>> views)
    {
        if (!views.TryGetValue(enteId, out var view) || view.IsFaulted)
        {
            views[enteId] = view = GrainFactory.GetGrain<IEnteGrain>(enteId).GetAsync();
        }

        return view;
    }

    private async Task WriteProgressAsync(BillingRunStatus status)
    {
        var p = _progress!;
        var current = Current!;
        if (current.Status != BillingRunStatus.Running)
        {
            // Cancelled meanwhile: the work's last progress must not bring the run back.
            return;
        }

        var next = current with
        {
            Status = status,
            CompletedAt = status == BillingRunStatus.Completed ? services.Clock.GetCurrentInstant() : current.CompletedAt,
            EntiTotal = p.EntiTotal,
            EntiDone = p.EntiDone,
            EntiFailed = p.EntiFailed,
            Total = p.Total.Euros,
            Lines = p.Lines,
        };
        state.State = state.State with { Revisions = state.State.Revisions.SetItem(state.State.Revisions.Count - 1, next) };
        await state.WriteStateAsync();
    }

    // ---- Completed, closed

    public async Task<BillingRunView> CloseAsync(string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        var current = Current;
        if (Mode != BillingRunMode.Final)
        {
            throw new IllegalTransitionException(Subject, "close", "a preview is never closed; start the final run once the year is over")
            {
                Code = RefusalCode.RunPreviewNeverClosed, Args = [Subject],
            };
        }

        if (current?.Status == BillingRunStatus.Closed)
        {
            return await GetProgressAsync();
        }

        if (current?.Status != BillingRunStatus.Completed)
        {
            throw new IllegalTransitionException(Subject, "close", $"only a completed run can be closed; {StatusText(current)}");
        }

        if (current.EntiFailed > 0)
        {
            // Closing would bill the year without them for ever: accounting wants every ente, or a run computed again.
            var failures = await store.FailuresAsync(RunOf(current), 10);
            var named = string.Join(", ", failures.Select(f => f.EnteId));
            var more = current.EntiFailed > failures.Count ? $" and {current.EntiFailed - failures.Count} more" : string.Empty;
            throw new IllegalTransitionException(Subject, "close",
                $"{current.EntiFailed} ente(i) could not be billed in revision {current.Revision} ({named}{more}; the run's status says why); correct them and start the run again with recompute before closing")
            {
                Code = RefusalCode.RunCloseFailed,
                Args = [Subject, Num(current.EntiFailed), Num(current.Revision), named, Num(current.EntiFailed - failures.Count)],
            };
        }

        var at = services.Clock.GetCurrentInstant();
        // The documents are numbered in the close's transaction, issued today and due after the issuer's payment terms.
        await store.CloseAsync(RunOf(current), op, at, services.Clock.Today(), issuer.Value.PaymentTermsDays);
        state.State = state.State with
        {
            Revisions = state.State.Revisions.SetItem(state.State.Revisions.Count - 1,
                current with { Status = BillingRunStatus.Closed, ClosedAt = at, ClosedBy = op }),
        };
        await state.WriteStateAsync();
        await services.Audit.RecordAsync(new AuditEntry(op, at, "billing:" + this.GetPrimaryKeyString(), "close", null,
            $"revision {current.Revision}: {current.EntiDone} enti, {current.Lines} lines, total {current.Total:0.00}"));
        return await GetProgressAsync();
    }

    // ---- Cancelled

    public async Task<BillingRunView> CancelAsync(string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        if (Current?.Status != BillingRunStatus.Running)
        {
            throw new IllegalTransitionException(Subject, "cancel", $"{Subject}: only a running run can be cancelled; {StatusText(Current)}");
        }

        // The work stops at its next step; a write under way may still land, and the next start discards it.
        _cancel?.Cancel();
        if (_work is { IsCompleted: false } work)
        {
            await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(10)));
        }

        try
        {
            await _stateWrite;
        }
        catch (Exception e)
        {
            services.Logger.LogWarning(e, "{Subject}: a progress write failed before the cancellation", Subject);
        }

        var current = Current!;
        if (current.Status != BillingRunStatus.Running)
        {
            // It completed before the cancellation reached it.
            return await GetProgressAsync();
        }

        var at = services.Clock.GetCurrentInstant();
        await store.CancelAsync(RunOf(current), op, at);
        var p = _progress;
        state.State = state.State with
        {
            Revisions = state.State.Revisions.SetItem(state.State.Revisions.Count - 1, current with
            {
                Status = BillingRunStatus.Cancelled,
                CancelledAt = at,
                CancelledBy = op,
                EntiTotal = p?.EntiTotal ?? current.EntiTotal,
                EntiDone = p?.EntiDone ?? current.EntiDone,
                EntiFailed = p?.EntiFailed ?? current.EntiFailed,
                Total = p?.Total.Euros ?? current.Total,
                Lines = p?.Lines ?? current.Lines,
            }),
        };
        await state.WriteStateAsync();
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _stuck = null;
        _stuckSince = null;
        _stuckEnti = [];
        var cancelled = Current!;
        await services.Audit.RecordAsync(new AuditEntry(op, at, "billing:" + this.GetPrimaryKeyString(), "cancel", null,
            $"revision {cancelled.Revision}, attempt {cancelled.Attempt}: {cancelled.EntiDone} of {cancelled.EntiTotal} enti done when cancelled"));
        return await GetProgressAsync();
    }

    // ---- Reading

    public async Task<BillingRunView> GetProgressAsync()
    {
        var c = Current;
        if (c is null)
        {
            return new BillingRunView(Year, Mode, Mode == BillingRunMode.Preview ? 0 : 1, BillingRunStatus.NotStarted, 0, null, 0, 0, 0,
                Money.Zero, 0, null, null, null, null, []);
        }

        var running = c.Status == BillingRunStatus.Running;
        var p = running && _progress is { } live ? live : new BillingProgress(c.EntiTotal, c.EntiDone, c.EntiFailed, Money.Euro(c.Total), c.Lines);
        var failures = p.EntiFailed > 0 ? await store.FailuresAsync(RunOf(c), 20) : [];
        var view = new BillingRunView(Year, Mode, c.Revision, c.Status, c.Attempt, c.AsOf, p.EntiTotal, p.EntiDone, p.EntiFailed, p.Total,
            p.Lines, c.StartedAt, c.CompletedAt, c.ClosedAt, running ? silo.SiloAddress.ToString() : null, failures)
        {
            CancelledAt = c.CancelledAt,
            CancelledBy = c.CancelledBy,
        };
        if (!running)
        {
            return view;
        }

        if (_stuck is { } why)
        {
            return view with { Stuck = why + "; retried every minute", StuckSince = _stuckSince, StuckEnti = _stuckEnti };
        }

        var now = services.Clock.GetCurrentInstant();
        return _lastMoved is { } moved && (now - moved).ToTimeSpan() > _options.StuckAfter
            ? view with { Stuck = $"no ente billed for {(int)(now - moved).TotalMinutes} minutes", StuckSince = moved }
            : view;
    }

    public async Task<RunTotals> GetTotalsAsync(int? revision = null)
    {
        var r = Completed(revision);
        var statements = new List<BilledStatement>();
        const int page = 500;
        for (var skip = 0; ; skip += page)
        {
            var batch = await store.StatementsAsync(RunOf(r), skip, page);
            statements.AddRange(batch);
            if (batch.Count < page)
            {
                break;
            }
        }

        return RunTotals.Of(Year, Mode, r.Revision, statements);
    }

    public Task<ImmutableList<BilledStatement>> GetStatementsAsync(int? revision, int skip, int take)
    {
        var r = Completed(revision);
        return store.StatementsAsync(RunOf(r), Math.Max(0, skip), Math.Clamp(take, 1, 1000));
    }

    private static string Iso(LocalDate date) => NodaTime.Text.LocalDatePattern.Iso.Format(date);

    private static string Num(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Where a revision stands, in words: "revision 1 has not been started", "... was cancelled".</summary>
    private string StatusText(BillingRevisionState? r) => r switch
    {
        null => $"revision {(Mode == BillingRunMode.Preview ? 0 : 1)} has not been started",
        { Status: BillingRunStatus.Running } => $"revision {r.Revision} is still running ({_progress?.EntiDone ?? r.EntiDone} of {(_progress?.EntiTotal ?? r.EntiTotal)} enti done)",
        { Status: BillingRunStatus.Completed } => $"revision {r.Revision} is completed",
        { Status: BillingRunStatus.Closed } => $"revision {r.Revision} is closed",
        { Status: BillingRunStatus.Cancelled } => $"revision {r.Revision} was cancelled by {r.CancelledBy} (start it again to compute it)",
        _ => $"revision {r.Revision} has not been started",
    };

    private BillingRevisionState Completed(int? revision)
    {
        var r = revision is { } n ? state.State.Revisions.FirstOrDefault(x => x.Revision == n) : Current;
        return r is { Status: BillingRunStatus.Completed or BillingRunStatus.Closed }
            ? r
            : throw new IllegalTransitionException(Subject, "read",
                r is null
                    ? $"revision {revision?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(latest)"} has not been run"
                    : StatusText(r));
    }
}
