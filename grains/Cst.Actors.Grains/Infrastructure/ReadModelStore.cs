using System.Collections.Immutable;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.ReadModels;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>The upcoming deadlines of one object, replacing all its rows (empty: it has none left).</summary>
public sealed record ObjectDeadlines(ChildKind Kind, string Key, string EnteId, IReadOnlyList<Deadline> Deadlines);

/// <summary>
/// The read models that answer questions across many grains (sql/schema/0012, 0013): the rows are written by the
/// grains that own the facts, in batches (a bulk import or a rebuild writes many objects in one statement), and read by
/// the admin queries one window at a time (<see cref="IReadModelReader"/>).
/// </summary>
public interface IReadModelStore
{
    /// <summary>Replaces every row of each object given with its deadlines (one transaction for the batch).</summary>
    Task ReplaceDeadlinesAsync(IReadOnlyList<ObjectDeadlines> objects);

    /// <summary>Inserts or replaces the enti's rows; their deadline rows take the name when it changed.</summary>
    Task UpsertEnteSummariesAsync(IReadOnlyList<EnteSummaryRow> rows);

    /// <summary>Whether the ente's row is there with this revision (a failed write since then is not).</summary>
    Task<bool> HasEnteSummaryAsync(string enteId, long revision);

    /// <summary>Whether the enti list holds no row at all (a database migrated from before 0013).</summary>
    Task<bool> IsEnteSummaryEmptyAsync();
}

/// <summary>
/// The read models' write side in PostgreSQL, on the silo's shared data source; what the admin queries read is in
/// Cst.Actors.ReadModels (<see cref="PostgresReadModelReader"/>), shared with the console.
/// </summary>
public sealed class PostgresReadModelStore(NpgsqlDataSource dataSource) : IReadModelStore
{
    public async Task ReplaceDeadlinesAsync(IReadOnlyList<ObjectDeadlines> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        if (objects.Count == 0)
        {
            return;
        }

        try
        {
            await using var batch = dataSource.CreateBatch();
            foreach (var command in DeadlineCommands(objects))
            {
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            var what = objects.Count == 1 ? objects[0].Key : $"{objects.Count} objects (first {objects[0].Key})";
            throw new CstInfrastructureError($"Could not write the upcoming deadlines of {what}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The statements that replace the objects' deadline rows; also run by the bulk import's batch writer in its own
    /// transaction, so imported objects are listed together with their state rows.
    /// </summary>
    internal static List<NpgsqlBatchCommand> DeadlineCommands(IReadOnlyList<ObjectDeadlines> objects)
    {
        var rows = objects.SelectMany(o => o.Deadlines.Select(d => (Object: o, Deadline: d))).ToList();
        var commands = new List<NpgsqlBatchCommand>();

        // Sent as one batch (one implicit transaction, or the caller's): an object's rows are replaced whole or not at all.
        var delete = new NpgsqlBatchCommand(
            """
            DELETE FROM deadline_upcoming d
            USING unnest($1::smallint[], $2::text[], $3::text[]) AS o(kind, key, ente)
            WHERE d.ente_id = o.ente AND d.object_kind = o.kind AND d.object_key = o.key
            """);
        // By the primary key (sql/schema/0017): an object's rows are under its ente, which it never changes.
        delete.Parameters.Add(new NpgsqlParameter { Value = objects.Select(o => (short)o.Kind).ToArray() });
        delete.Parameters.Add(new NpgsqlParameter { Value = objects.Select(o => o.Key).ToArray() });
        delete.Parameters.Add(new NpgsqlParameter { Value = objects.Select(o => o.EnteId).ToArray() });
        commands.Add(delete);
        if (rows.Count > 0)
        {
            var insert = new NpgsqlBatchCommand(
                """
                INSERT INTO deadline_upcoming (object_kind, object_key, ente_id, ente_name, kind, due_date, description)
                SELECT r.object_kind, r.object_key, r.ente_id, coalesce(s.name, r.ente_id), r.kind, r.due_date, r.description
                FROM unnest($1::smallint[], $2::text[], $3::text[], $4::smallint[], $5::date[], $6::text[])
                    AS r(object_kind, object_key, ente_id, kind, due_date, description)
                LEFT JOIN ente_summary s ON s.ente_id = r.ente_id
                ON CONFLICT ON CONSTRAINT deadline_upcoming_pkey DO UPDATE SET description = EXCLUDED.description
                """);
            insert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => (short)r.Object.Kind).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Object.Key).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Object.EnteId).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => (short)r.Deadline.Kind).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Deadline.Due.ToDateOnly()).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Deadline.Description).ToArray() });
            commands.Add(insert);
        }

        return commands;
    }

    /// <summary>
    /// The deadline rows of objects that have none yet (a bulk import's new objects, whose state rows the same
    /// transaction has just inserted), by binary COPY on the caller's connection and transaction: no DELETE of rows
    /// that cannot be there (rows are only ever written for an object whose state is stored), no conflict check, the
    /// ente names read once for the batch instead of joined per row. A row that is there after all fails the COPY with
    /// a unique violation on deadline_upcoming_pkey (<see cref="IsDeadlineRowThere"/>): the caller then writes the batch
    /// again with <see cref="DeadlineCommands"/>, which replace.
    /// </summary>
    internal static async Task CopyNewDeadlinesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ObjectDeadlines> objects)
    {
        var enti = objects.Where(o => o.Deadlines.Count > 0).Select(o => o.EnteId).Distinct(StringComparer.Ordinal).ToArray();
        if (enti.Length == 0)
        {
            return;
        }

        // As the replacing statement's LEFT JOIN: the name in the enti list, or the ente's id while it has no row there.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var read = new NpgsqlCommand("SELECT ente_id, name FROM ente_summary WHERE ente_id = ANY($1)", connection, transaction))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = enti });
            await using var reader = await read.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                names[reader.GetString(0)] = reader.GetString(1);
            }
        }

        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY deadline_upcoming (object_kind, object_key, ente_id, ente_name, kind, due_date, description) FROM STDIN (FORMAT BINARY)")
            .ConfigureAwait(false);
        // Written synchronously, as the billing store writes its lines: an awaited write per field cost about as much
        // CPU as the formatting itself; a full buffer blocks this thread for its send.
        foreach (var o in objects)
        {
            var name = names.GetValueOrDefault(o.EnteId, o.EnteId);
            foreach (var d in o.Deadlines)
            {
                copy.StartRow();
                copy.Write((short)o.Kind, NpgsqlDbType.Smallint);
                copy.Write(o.Key, NpgsqlDbType.Text);
                copy.Write(o.EnteId, NpgsqlDbType.Text);
                copy.Write(name, NpgsqlDbType.Text);
                copy.Write((short)d.Kind, NpgsqlDbType.Smallint);
                copy.Write(d.Due.ToDateOnly(), NpgsqlDbType.Date);
                copy.Write(d.Description, NpgsqlDbType.Text);
            }
        }

        await copy.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="e"/> is <see cref="CopyNewDeadlinesAsync"/> finding a row already there.</summary>
    internal static bool IsDeadlineRowThere(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "deadline_upcoming_pkey" };

    public async Task UpsertEnteSummariesAsync(IReadOnlyList<EnteSummaryRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        try
        {
            await using var batch = dataSource.CreateBatch();
            var upsert = new NpgsqlBatchCommand(
                """
                INSERT INTO ente_summary (ente_id, name, search_text, istat_code, withdrawn_on, population, active_objects,
                    active_until, estimate_year, estimate, estimate_error, revision, written_at)
                SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::int[], $7::int[],
                    $8::date[], $9::int[], $10::numeric[], $11::text[], $12::bigint[])
                ON CONFLICT (ente_id) DO UPDATE SET name = EXCLUDED.name, search_text = EXCLUDED.search_text,
                    istat_code = EXCLUDED.istat_code, withdrawn_on = EXCLUDED.withdrawn_on, population = EXCLUDED.population,
                    active_objects = EXCLUDED.active_objects, active_until = EXCLUDED.active_until,
                    estimate_year = EXCLUDED.estimate_year, estimate = EXCLUDED.estimate, estimate_error = EXCLUDED.estimate_error,
                    revision = EXCLUDED.revision, written_at = EXCLUDED.written_at
                """);
            upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.EnteId).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Name).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => EnteSearch.Fold(r.Name)).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.IstatCode).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.WithdrawnOn?.ToDateOnly()).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Population).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.ActiveObjects).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.ActiveUntil?.ToDateOnly()).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.EstimateYear).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Estimate?.Euros).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.EstimateError).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Revision).ToArray() });
            batch.BatchCommands.Add(upsert);
            var names = new NpgsqlBatchCommand(
                """
                UPDATE deadline_upcoming d SET ente_name = s.name
                FROM unnest($1::text[], $2::text[]) AS s(ente_id, name)
                WHERE d.ente_id = s.ente_id AND d.ente_name <> s.name
                """);
            names.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.EnteId).ToArray() });
            names.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Name).ToArray() });
            batch.BatchCommands.Add(names);
            await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            var what = rows.Count == 1 ? "ente " + rows[0].EnteId : $"{rows.Count} enti (first {rows[0].EnteId})";
            throw new CstInfrastructureError($"Could not write the enti list row of {what}: {e.Message}", e);
        }
    }

    public async Task<bool> HasEnteSummaryAsync(string enteId, long revision)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT FROM ente_summary WHERE ente_id = $1 AND revision = $2)");
            command.Parameters.Add(new NpgsqlParameter { Value = enteId });
            command.Parameters.Add(new NpgsqlParameter { Value = revision });
            return (bool)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not read the enti list row of ente {enteId}: {e.Message}", e);
        }
    }

    public async Task<bool> IsEnteSummaryEmptyAsync()
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT NOT EXISTS (SELECT FROM ente_summary)");
            return (bool)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not read the enti list: {e.Message}", e);
        }
    }
}
