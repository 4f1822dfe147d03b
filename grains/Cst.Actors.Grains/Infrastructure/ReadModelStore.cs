using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Deadlines;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>The upcoming deadlines of one object, replacing all its rows (empty: it has none left).</summary>
public sealed record ObjectDeadlines(ChildKind Kind, string Key, string EnteId, IReadOnlyList<Deadline> Deadlines);

/// <summary>One row of <c>ente_summary</c> (sql/schema/0013).</summary>
/// <param name="ActiveUntil">The first day the active count may change by itself (null: never).</param>
/// <param name="Revision">The ente's count of writes of these facts, to know whether a failed write was done.</param>
public sealed record EnteSummaryRow(
    string EnteId,
    string Name,
    string? IstatCode,
    LocalDate? WithdrawnOn,
    int? Population,
    int ActiveObjects,
    LocalDate? ActiveUntil,
    int EstimateYear,
    Money? Estimate,
    string? EstimateError,
    long Revision);

/// <summary>One page of rows and how many there are in all.</summary>
public sealed record StoredPage<T>(ImmutableList<T> Rows, int Total);

/// <summary>
/// The read models that answer questions across many grains (sql/schema/0012, 0013): the rows are written by the
/// grains that own the facts, in batches (a bulk import or a rebuild writes many objects in one statement), and read by
/// the admin queries one window at a time.
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

    /// <summary>Deadlines due in [from, upTo], by due date, kind, ente name and object; one window and the total.</summary>
    Task<StoredPage<UpcomingDeadline>> DeadlinesAsync(LocalDate from, LocalDate upTo, string? enteId, string? filter,
        IReadOnlyCollection<DeadlineKind> kindsMatching, int offset, int limit);

    /// <summary>
    /// The same deadlines in the same order as <see cref="DeadlinesAsync"/>, read by key for a full listing: the first
    /// window (<paramref name="after"/> null) from <paramref name="offset"/>, the next ones after the cursor; no total.
    /// </summary>
    Task<DeadlineListWindow> DeadlineWindowAsync(LocalDate from, LocalDate upTo, string? enteId, string? filter,
        IReadOnlyCollection<DeadlineKind> kindsMatching, int offset, DeadlineCursor? after, int limit);

    /// <summary>Enti rows by name, those matching <paramref name="search"/> (see <see cref="Fold"/>); one window and the total.</summary>
    Task<StoredPage<EnteSummaryRow>> EnteSummariesAsync(string? search, int offset, int limit);

    /// <summary>Lower case, accents removed: how the enti list is searched.</summary>
    static string Fold(string text) =>
        new([.. text.Normalize(NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            .Select(char.ToLowerInvariant)]);
}

/// <summary>The read models in PostgreSQL, on the silo's shared data source. All their SQL is here.</summary>
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
        foreach (var o in objects)
        {
            var name = names.GetValueOrDefault(o.EnteId, o.EnteId);
            foreach (var d in o.Deadlines)
            {
                await copy.StartRowAsync().ConfigureAwait(false);
                await copy.WriteAsync((short)o.Kind, NpgsqlDbType.Smallint).ConfigureAwait(false);
                await copy.WriteAsync(o.Key, NpgsqlDbType.Text).ConfigureAwait(false);
                await copy.WriteAsync(o.EnteId, NpgsqlDbType.Text).ConfigureAwait(false);
                await copy.WriteAsync(name, NpgsqlDbType.Text).ConfigureAwait(false);
                await copy.WriteAsync((short)d.Kind, NpgsqlDbType.Smallint).ConfigureAwait(false);
                await copy.WriteAsync(d.Due.ToDateOnly(), NpgsqlDbType.Date).ConfigureAwait(false);
                await copy.WriteAsync(d.Description, NpgsqlDbType.Text).ConfigureAwait(false);
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
            upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => IReadModelStore.Fold(r.Name)).ToArray() });
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

    /// <summary>The deadlines' filter: $1 from, $2 up to, $3 the ente, $4 the text (lower case), $5 the kinds it names.</summary>
    private const string DeadlineWhere =
        """
        WHERE due_date BETWEEN $1 AND $2 AND ($3::text IS NULL OR ente_id = $3)
          AND ($4::text IS NULL OR strpos(lower(ente_name), $4) > 0 OR strpos(lower(ente_id), $4) > 0
               OR strpos(lower(object_key), $4) > 0 OR kind = ANY($5::smallint[]))
        """;

    /// <summary>The list's order, unique (the primary key's columns are in it): the index deadline_upcoming_by_due's (sql/schema/0016).</summary>
    private const string DeadlineOrder = "ORDER BY due_date, kind, ente_name, object_key, object_kind";

    private const string DeadlineColumns = "SELECT due_date, kind, ente_id, ente_name, object_key, description, object_kind FROM deadline_upcoming";

    public async Task<StoredPage<UpcomingDeadline>> DeadlinesAsync(LocalDate from, LocalDate upTo, string? enteId, string? filter,
        IReadOnlyCollection<DeadlineKind> kindsMatching, int offset, int limit)
    {
        var (text, kinds) = DeadlineFilter(filter, kindsMatching);
        try
        {
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(DeadlineParameters(new NpgsqlBatchCommand("SELECT count(*) FROM deadline_upcoming " + DeadlineWhere), from, upTo, enteId, text, kinds));
            var page = DeadlineParameters(new NpgsqlBatchCommand($"{DeadlineColumns} {DeadlineWhere} {DeadlineOrder} OFFSET $6 LIMIT $7"), from, upTo, enteId, text, kinds);
            return await ReadPageAsync(batch, page, offset, limit, ReadDeadline);
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not read the upcoming deadlines: {e.Message}", e);
        }
    }

    public async Task<DeadlineListWindow> DeadlineWindowAsync(LocalDate from, LocalDate upTo, string? enteId, string? filter,
        IReadOnlyCollection<DeadlineKind> kindsMatching, int offset, DeadlineCursor? after, int limit)
    {
        var (text, kinds) = DeadlineFilter(filter, kindsMatching);
        if (after is not null)
        {
            (from, upTo) = (after.From, after.UpTo);
        }

        var window = Math.Clamp(limit, 0, IAdminQueryGrain.MaxWindow);
        try
        {
            // After the cursor: a row comparison on the index's columns, an index condition (EXPLAIN in sql/schema/0016):
            // every window reads only its own rows, however far into the list.
            await using var command = DeadlineParameters(dataSource.CreateCommand(after is null
                ? $"{DeadlineColumns} {DeadlineWhere} {DeadlineOrder} OFFSET $6 LIMIT $7"
                : $"{DeadlineColumns} {DeadlineWhere} AND (due_date, kind, ente_name, object_key, object_kind) > ($6, $7, $8, $9, $10) {DeadlineOrder} LIMIT $11"),
                from, upTo, enteId, text, kinds);
            if (after is null)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = Math.Max(0, offset) });
            }
            else
            {
                command.Parameters.Add(new NpgsqlParameter { Value = after.Due.ToDateOnly(), NpgsqlDbType = NpgsqlDbType.Date });
                command.Parameters.Add(new NpgsqlParameter { Value = (short)after.Kind, NpgsqlDbType = NpgsqlDbType.Smallint });
                command.Parameters.Add(new NpgsqlParameter { Value = after.EnteName, NpgsqlDbType = NpgsqlDbType.Text });
                command.Parameters.Add(new NpgsqlParameter { Value = after.Object, NpgsqlDbType = NpgsqlDbType.Text });
                command.Parameters.Add(new NpgsqlParameter { Value = after.ObjectKind, NpgsqlDbType = NpgsqlDbType.Smallint });
            }

            command.Parameters.Add(new NpgsqlParameter { Value = window });
            var rows = ImmutableList.CreateBuilder<UpcomingDeadline>();
            short lastObjectKind = 0;
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                rows.Add(ReadDeadline(reader));
                lastObjectKind = reader.GetInt16(6);
            }

            // A full window may have a next one; a short one is the last.
            var next = rows.Count < window || rows.Count == 0 ? null
                : new DeadlineCursor(from, upTo, rows[^1].Due, rows[^1].Kind, rows[^1].EnteName, rows[^1].Object, lastObjectKind);
            return new DeadlineListWindow(rows.ToImmutable(), next);
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not read the upcoming deadlines: {e.Message}", e);
        }
    }

    /// <summary>
    /// The filter matches the ente's name or key, the object or the kind's name (or its word in the client's language,
    /// kindsMatching), case ignored, as the console's did.
    /// </summary>
    private static (string? Text, short[] Kinds) DeadlineFilter(string? filter, IReadOnlyCollection<DeadlineKind> kindsMatching)
    {
        var text = string.IsNullOrWhiteSpace(filter) ? null : filter.Trim().ToLowerInvariant();
        var kinds = text is null ? [] : Enum.GetValues<DeadlineKind>()
            .Where(k => k.ToString().Contains(text, StringComparison.OrdinalIgnoreCase)).Concat(kindsMatching ?? [])
            .Distinct().Select(k => (short)k).ToArray();
        return (text, kinds);
    }

    private static UpcomingDeadline ReadDeadline(NpgsqlDataReader reader) => new(
        LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(0)),
        (DeadlineKind)reader.GetInt16(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetString(5));

    private static NpgsqlBatchCommand DeadlineParameters(NpgsqlBatchCommand command, LocalDate from, LocalDate upTo, string? enteId, string? text, short[] kinds)
    {
        DeadlineParameters(command.Parameters, from, upTo, enteId, text, kinds);
        return command;
    }

    private static NpgsqlCommand DeadlineParameters(NpgsqlCommand command, LocalDate from, LocalDate upTo, string? enteId, string? text, short[] kinds)
    {
        DeadlineParameters(command.Parameters, from, upTo, enteId, text, kinds);
        return command;
    }

    private static void DeadlineParameters(NpgsqlParameterCollection parameters, LocalDate from, LocalDate upTo, string? enteId, string? text, short[] kinds)
    {
        parameters.Add(new NpgsqlParameter { Value = from.ToDateOnly(), NpgsqlDbType = NpgsqlDbType.Date });
        parameters.Add(new NpgsqlParameter { Value = upTo.ToDateOnly(), NpgsqlDbType = NpgsqlDbType.Date });
        parameters.Add(new NpgsqlParameter { Value = (object?)enteId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = kinds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
    }

    /// <summary>
    /// Runs <paramref name="batch"/> (its count, then <paramref name="page"/> given its OFFSET and LIMIT as its last two
    /// parameters) and reads the total and the window's rows.
    /// </summary>
    private static async Task<StoredPage<T>> ReadPageAsync<T>(NpgsqlBatch batch, NpgsqlBatchCommand page, int offset, int limit,
        Func<NpgsqlDataReader, T> read)
    {
        page.Parameters.Add(new NpgsqlParameter { Value = Math.Max(0, offset) });
        page.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(limit, 0, IAdminQueryGrain.MaxWindow) });
        batch.BatchCommands.Add(page);
        await using var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
        await reader.ReadAsync().ConfigureAwait(false);
        var total = checked((int)reader.GetInt64(0));
        await reader.NextResultAsync().ConfigureAwait(false);
        var rows = ImmutableList.CreateBuilder<T>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return new StoredPage<T>(rows.ToImmutable(), total);
    }

    public async Task<StoredPage<EnteSummaryRow>> EnteSummariesAsync(string? search, int offset, int limit)
    {
        // As the console searched: the name contains the text (case and accents ignored), or the key or ISTAT code starts with it.
        var text = string.IsNullOrWhiteSpace(search) ? null : search.Trim();
        const string where =
            """
            WHERE $1::text IS NULL OR strpos(search_text, $2) > 0
               OR lower(ente_id) LIKE lower($3) || '%' OR lower(istat_code) LIKE lower($3) || '%'
            """;
        try
        {
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(Parameters(new NpgsqlBatchCommand("SELECT count(*) FROM ente_summary " + where), text));
            var page = Parameters(new NpgsqlBatchCommand(
                $"""
                SELECT ente_id, name, istat_code, withdrawn_on, population, active_objects, active_until, estimate_year,
                    estimate, estimate_error, revision
                FROM ente_summary {where}
                ORDER BY name, ente_id
                OFFSET $4 LIMIT $5
                """), text);
            return await ReadPageAsync(batch, page, offset, limit, reader => new EnteSummaryRow(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(3)),
                reader.IsDBNull(4) ? null : reader.GetInt32(4),
                reader.GetInt32(5),
                reader.IsDBNull(6) ? null : LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(6)),
                reader.GetInt32(7),
                reader.IsDBNull(8) ? null : Money.Euro(reader.GetDecimal(8)),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.GetInt64(10)));
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not read the enti list: {e.Message}", e);
        }

        static NpgsqlBatchCommand Parameters(NpgsqlBatchCommand command, string? text)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = text is null ? string.Empty : IReadModelStore.Fold(text), NpgsqlDbType = NpgsqlDbType.Text });
            // LIKE's wildcards in the text are matched as themselves.
            command.Parameters.Add(new NpgsqlParameter
            {
                Value = text is null ? string.Empty : text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal),
                NpgsqlDbType = NpgsqlDbType.Text,
            });
            return command;
        }
    }
}
