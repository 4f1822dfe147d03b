using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Deadlines;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Cst.Actors.ReadModels;

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
    long Revision)
{
    /// <summary>The line of the enti list this row holds (for its <see cref="EstimateYear"/>, as of its writing).</summary>
    public EnteSummary ToSummary() => new(EnteId, Name, IstatCode, Population, ActiveObjects, Estimate, EstimateError, WithdrawnOn);
}

/// <summary>One page of rows and how many there are in all.</summary>
public sealed record StoredPage<T>(ImmutableList<T> Rows, int Total);

/// <summary>How the enti list is searched.</summary>
public static class EnteSearch
{
    /// <summary>Lower case, accents removed (the column search_text holds the name so folded).</summary>
    public static string Fold(string text) =>
        new([.. text.Normalize(NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            .Select(char.ToLowerInvariant)]);
}

/// <summary>
/// What the admin queries read from the read models (sql/schema/0012, 0013), one window at a time; the grains write
/// the rows (Cst.Actors.Grains, IReadModelStore).
/// </summary>
public interface IReadModelReader
{
    /// <summary>Deadlines due in [from, upTo], by due date, kind, ente name and object; one window and the total.</summary>
    Task<StoredPage<UpcomingDeadline>> DeadlinesAsync(LocalDate from, LocalDate upTo, string? enteId, string? filter,
        IReadOnlyCollection<DeadlineKind> kindsMatching, int offset, int limit);

    /// <summary>
    /// The same deadlines in the same order as <see cref="DeadlinesAsync"/>, read by key for a full listing: the first
    /// window (<paramref name="after"/> null) from <paramref name="offset"/>, the next ones after the cursor; no total.
    /// </summary>
    Task<DeadlineListWindow> DeadlineWindowAsync(LocalDate from, LocalDate upTo, string? enteId, string? filter,
        IReadOnlyCollection<DeadlineKind> kindsMatching, int offset, DeadlineCursor? after, int limit);

    /// <summary>Enti rows by name, those matching <paramref name="search"/> (see <see cref="EnteSearch.Fold"/>); one window and the total.</summary>
    Task<StoredPage<EnteSummaryRow>> EnteSummariesAsync(string? search, int offset, int limit);

    /// <summary>Whether the enti list has a row for the ente: how a query that names an ente knows it, by SQL.</summary>
    Task<bool> IsEnteListedAsync(string enteId);
}

/// <summary>
/// The read models in PostgreSQL, read on the silo's shared data source or the console's own. All the SQL that reads
/// them is here.
/// </summary>
public sealed class PostgresReadModelReader(NpgsqlDataSource dataSource) : IReadModelReader
{
    public async Task<bool> IsEnteListedAsync(string enteId)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT FROM ente_summary WHERE ente_id = $1)");
            command.Parameters.Add(new NpgsqlParameter { Value = enteId, NpgsqlDbType = NpgsqlDbType.Text });
            return (bool)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not read the enti list row of ente {enteId}: {e.Message}", e);
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
            command.Parameters.Add(new NpgsqlParameter { Value = text is null ? string.Empty : EnteSearch.Fold(text), NpgsqlDbType = NpgsqlDbType.Text });
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
