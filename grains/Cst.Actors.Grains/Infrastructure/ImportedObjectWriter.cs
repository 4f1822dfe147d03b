using System.Collections.Immutable;
using Cst.Actors.Contracts.Errors;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>Where an imported object's state row goes: the key columns and payload grain storage reads it by.</summary>
public readonly record struct StateRow(int GrainIdHash, int GrainTypeHash, string GrainType, long N0, long N1, string? Extension, byte[] Payload)
{
    /// <summary>
    /// Adds the service id ($1) and the key columns of <paramref name="keys"/> as arrays ($2-$7: id hash, type hash,
    /// type, n0, n1, extension), for a query that joins the storage table on them with <c>unnest</c>.
    /// </summary>
    public static void AddKeyArrays(NpgsqlCommand command, string serviceId, IReadOnlyList<StateRow> keys)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.GrainIdHash).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.GrainTypeHash).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.GrainType).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.N0).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.N1).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Extension).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
    }
}

/// <summary>
/// Formats a grain's state as the silo's grain storage stores it (same key hashing, same serializer), so that a row
/// written by <see cref="ImportedObjectWriter"/> is what the grain reads on its next activation. The silo registers
/// the implementation for its storage provider; without one, imports write through the grains one row at a time.
/// </summary>
public interface IStateRowFormat
{
    /// <summary>The service id that is part of every stored key.</summary>
    string ServiceId { get; }

    StateRow Format<T>(string stateName, GrainId grainId, T state);

    /// <summary>The key columns of the row (no payload).</summary>
    StateRow KeyOf(string stateName, GrainId grainId);

    /// <summary>A stored payload read back as the grain would read it on activation.</summary>
    T Read<T>(byte[] payload);
}

/// <summary>The silo's configuration section <c>Import</c>.</summary>
public sealed class ImportWriteOptions
{
    public const string Section = "Import";

    /// <summary>Whether a bulk import writes its new objects in batches (default true).</summary>
    public bool BatchWrites { get; set; } = true;
}

/// <summary>
/// The rows of one imported object: its first state row, its reminder (if armed here), its audit rows and its rows of
/// the deadline read model.
/// </summary>
public sealed record ImportedObjectRows(StateRow State, string ReminderGrainId, int ReminderGrainHash, string ReminderName,
    Instant? ReminderStart, TimeSpan ReminderPeriod, ImmutableList<AuditEntry> Audit, ObjectDeadlines Deadlines)
{
    /// <summary>The notices its deadlines produced (an object applied without an activation: <see cref="DetachedImport"/>).</summary>
    public ImmutableList<Notice> Notices { get; init; } = [];
}

/// <summary>
/// Writes the rows of imported objects in batches: the grains of a bulk import compute their state as for any change
/// (the domain's checks, the ente's check, the deadlines) and hand the rows here instead of writing a state row, a
/// reminder row and an audit insert each in its own round trip. Calls that arrive while a batch is written wait for
/// the next one (group commit), so the batch grows with the import's parallelism and costs one transaction.
/// </summary>
/// <remarks>
/// A batch is one transaction: every object of it is written whole (state, reminder, audit, deadline rows) or not at all, so an
/// import failing mid-batch leaves nothing half-applied and a re-import converges (the grains find no state and apply
/// the document again). Only new objects come here (no stored row): their state row is inserted, never updated; if
/// another writer created one of them meanwhile, the whole batch is refused and each of its objects fails its call.
/// </remarks>
public sealed class ImportedObjectWriter(NpgsqlDataSource dataSource, IStateRowFormat format, bool enabled = true)
{
    /// <summary>
    /// False with <c>Import:BatchWrites=false</c>: the grains then write one row at a time and the importer asks every
    /// object whether it exists (the design before batches, kept to measure against).
    /// </summary>
    public bool Enabled { get; } = enabled;

    /// <summary>At most this many objects per transaction (a few hundred rows per statement).</summary>
    public const int MaxBatch = 512;

    private readonly object _gate = new();
    private readonly List<(ImportedObjectRows Rows, TaskCompletionSource Done)> _queue = [];
    private bool _flushing;

    public IStateRowFormat Format { get; } = format;

    /// <summary>Writes <paramref name="rows"/> with the next batch; completes when that batch is committed.</summary>
    public Task WriteAsync(ImportedObjectRows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            _queue.Add((rows, done));
            start = !_flushing;
            _flushing = true;
        }

        if (start)
        {
            _ = Task.Run(FlushLoopAsync);
        }

        return done.Task;
    }

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            List<(ImportedObjectRows Rows, TaskCompletionSource Done)> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _flushing = false;
                    return;
                }

                var take = Math.Min(MaxBatch, _queue.Count);
                batch = _queue.GetRange(0, take);
                _queue.RemoveRange(0, take);
            }

            try
            {
                ImportedObjectRows[] rows = [.. batch.Select(b => b.Rows)];
                try
                {
                    await WriteBatchAsync(rows, newDeadlineRows: true).ConfigureAwait(false);
                }
                catch (Exception e) when (PostgresReadModelStore.IsDeadlineRowThere(e))
                {
                    // A deadline row of one of these objects is there without its state (written by hand, or by a
                    // tool): the batch again, replacing the objects' rows as any other write does.
                    await WriteBatchAsync(rows, newDeadlineRows: false).ConfigureAwait(false);
                }

                foreach (var (_, done) in batch)
                {
                    done.TrySetResult();
                }
            }
            catch (Exception e)
            {
                var error = e is CstInfrastructureError ? e : new CstInfrastructureError(
                    $"Could not write a batch of {batch.Count} imported objects (nothing of them was written): {e.Message}");
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(error);
                }
            }
        }
    }

    /// <summary>The positions in <paramref name="grains"/> of those with a stored state, in one query.</summary>
    public async Task<IReadOnlySet<int>> StoredAsync(IReadOnlyList<(string StateName, GrainId GrainId)> grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var keys = grains.Select(g => Format.KeyOf(g.StateName, g.GrainId)).ToList();
        await using var command = dataSource.CreateCommand(
            """
            SELECT r.i::integer - 1
            FROM unnest($2::integer[], $3::integer[], $4::text[], $5::bigint[], $6::bigint[], $7::text[]) WITH ORDINALITY AS r(h, t, g, n0, n1, x, i)
            WHERE EXISTS (
                SELECT 1 FROM orleans_storage s
                WHERE s.grain_id_hash = r.h AND s.grain_type_hash = r.t AND s.service_id = $1 AND s.grain_type = r.g
                  AND s.grain_id_n0 = r.n0 AND s.grain_id_n1 = r.n1 AND s.grain_id_extension IS NOT DISTINCT FROM r.x
                  AND s.payload IS NOT NULL)
            """);
        StateRow.AddKeyArrays(command, Format.ServiceId, keys);
        var result = new HashSet<int>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                result.Add(reader.GetInt32(0));
            }
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not read which of {grains.Count} objects are stored: {e.Message}");
        }

        return result;
    }

    /// <summary>
    /// One transaction: the state rows, the reminder rows, the audit rows, the notices and the deadline rows of the
    /// batch; the deadline rows by COPY when <paramref name="newDeadlineRows"/> (the objects are new: the state rows
    /// were inserted above, and rows are written only for a stored object), otherwise replacing any there.
    /// </summary>
    private async Task WriteBatchAsync(IReadOnlyList<ImportedObjectRows> batch, bool newDeadlineRows)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        var serviceId = Format.ServiceId;

        await using (var states = new NpgsqlCommand(
            """
            INSERT INTO orleans_storage
                (grain_id_hash, grain_type_hash, service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension, payload, version)
            SELECT h, t, $1, g, n0, n1, x, p, 1
            FROM unnest($2::integer[], $3::integer[], $4::text[], $5::bigint[], $6::bigint[], $7::text[], $8::bytea[]) AS r(h, t, g, n0, n1, x, p)
            ON CONFLICT ON CONSTRAINT orleans_storage_key DO NOTHING
            """, connection, transaction))
        {
            states.Parameters.Add(new NpgsqlParameter { Value = serviceId });
            states.Parameters.Add(new NpgsqlParameter { Value = batch.Select(b => b.State.GrainIdHash).ToArray() });
            states.Parameters.Add(new NpgsqlParameter { Value = batch.Select(b => b.State.GrainTypeHash).ToArray() });
            states.Parameters.Add(new NpgsqlParameter { Value = batch.Select(b => b.State.GrainType).ToArray() });
            states.Parameters.Add(new NpgsqlParameter { Value = batch.Select(b => b.State.N0).ToArray() });
            states.Parameters.Add(new NpgsqlParameter { Value = batch.Select(b => b.State.N1).ToArray() });
            states.Parameters.Add(new NpgsqlParameter { Value = batch.Select(b => b.State.Extension).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            states.Parameters.Add(new NpgsqlParameter { Value = batch.Select(b => b.State.Payload).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            var inserted = await states.ExecuteNonQueryAsync().ConfigureAwait(false);
            if (inserted != batch.Count)
            {
                throw new CstInfrastructureError(
                    $"{batch.Count - inserted} of a batch of {batch.Count} imported objects were stored meanwhile by another call; "
                    + "nothing of the batch was written (import the same file again)");
            }
        }

        var armed = batch.Where(b => b.ReminderStart is not null).ToList();
        if (armed.Count > 0)
        {
            // The row Orleans' reminder service writes for RegisterOrUpdateReminder (sql/orleans/04-reminders.sql):
            // each silo reads its range of the table again every few minutes, so a reminder due later than that needs
            // no registration in memory (the grains arm the ones due sooner themselves).
            await using var reminders = new NpgsqlCommand(
                """
                INSERT INTO orleans_reminders (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
                SELECT $1, g, n, s, p, h, 0
                FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::bigint[], $6::integer[]) AS r(g, n, s, p, h)
                ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
                    SET start_time = EXCLUDED.start_time, period_ms = EXCLUDED.period_ms, grain_hash = EXCLUDED.grain_hash,
                        version = orleans_reminders.version + 1
                """, connection, transaction);
            reminders.Parameters.Add(new NpgsqlParameter { Value = serviceId });
            reminders.Parameters.Add(new NpgsqlParameter { Value = armed.Select(b => b.ReminderGrainId).ToArray() });
            reminders.Parameters.Add(new NpgsqlParameter { Value = armed.Select(b => b.ReminderName).ToArray() });
            reminders.Parameters.Add(new NpgsqlParameter { Value = armed.Select(b => b.ReminderStart!.Value.ToDateTimeUtc()).ToArray() });
            reminders.Parameters.Add(new NpgsqlParameter { Value = armed.Select(b => (long)b.ReminderPeriod.TotalMilliseconds).ToArray() });
            reminders.Parameters.Add(new NpgsqlParameter { Value = armed.Select(b => b.ReminderGrainHash).ToArray() });
            await reminders.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        var audit = batch.SelectMany(b => b.Audit).ToList();
        if (audit.Count > 0)
        {
            await using var rows = new NpgsqlCommand(
                """
                INSERT INTO audit (operator, occurred_at, object, action, before_summary, after_summary, change_id)
                SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[])
                ON CONFLICT (change_id) WHERE change_id IS NOT NULL DO NOTHING
                """, connection, transaction);
            rows.Parameters.Add(new NpgsqlParameter { Value = audit.Select(e => e.Operator).ToArray() });
            rows.Parameters.Add(new NpgsqlParameter { Value = audit.Select(e => e.At.ToDateTimeUtc()).ToArray() });
            rows.Parameters.Add(new NpgsqlParameter { Value = audit.Select(e => e.Object).ToArray() });
            rows.Parameters.Add(new NpgsqlParameter { Value = audit.Select(e => e.Action).ToArray() });
            rows.Parameters.Add(new NpgsqlParameter { Value = audit.Select(e => e.Before).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            rows.Parameters.Add(new NpgsqlParameter { Value = audit.Select(e => e.After).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            rows.Parameters.Add(new NpgsqlParameter { Value = audit.Select(e => e.ChangeId).ToArray() });
            await rows.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        var notices = batch.SelectMany(b => b.Notices).ToList();
        if (notices.Count > 0)
        {
            // As PostgresNoticeLog writes one: once per (object, kind, due date), queued in the outbox with it.
            await using var rows = new NpgsqlCommand(
                """
                WITH written AS (
                    INSERT INTO notice (ente, object, kind, due_date, message)
                    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[])
                    ON CONFLICT ON CONSTRAINT notice_once DO NOTHING
                    RETURNING id, ente)
                INSERT INTO outbox_message (kind, source_key, ente, notice_id)
                SELECT 'notice', 'notice:' || id, ente, id FROM written
                ON CONFLICT ON CONSTRAINT outbox_message_once DO NOTHING
                """, connection, transaction);
            rows.Parameters.Add(new NpgsqlParameter { Value = notices.Select(n => n.Ente).ToArray() });
            rows.Parameters.Add(new NpgsqlParameter { Value = notices.Select(n => n.Object).ToArray() });
            rows.Parameters.Add(new NpgsqlParameter { Value = notices.Select(n => n.Kind).ToArray() });
            rows.Parameters.Add(new NpgsqlParameter { Value = notices.Select(n => n.Due.ToDateOnly()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
            rows.Parameters.Add(new NpgsqlParameter { Value = notices.Select(n => n.Message).ToArray() });
            await rows.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        // The deadline read model in the same transaction, so it never disagrees with the states and reminders.
        if (newDeadlineRows)
        {
            await PostgresReadModelStore.CopyNewDeadlinesAsync(connection, transaction, [.. batch.Select(b => b.Deadlines)]).ConfigureAwait(false);
        }
        else
        {
            await using var deadlines = new NpgsqlBatch(connection, transaction);
            foreach (var command in PostgresReadModelStore.DeadlineCommands([.. batch.Select(b => b.Deadlines)]))
            {
                deadlines.BatchCommands.Add(command);
            }

            await deadlines.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
    }
}
