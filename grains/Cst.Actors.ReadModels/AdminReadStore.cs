using System.Collections.Immutable;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Errors;
using NodaTime;
using Npgsql;

namespace Cst.Actors.ReadModels;

/// <summary>Reads the notice and audit tables for the admin console (the grains only ever append to them).</summary>
public interface IAdminReadStore
{
    Task<ImmutableList<NoticeRow>> NoticesAsync(string? enteId, int max);

    Task<ImmutableList<AuditRow>> AuditAsync(string? filter, int max);

    /// <summary>A window of the notices (newest due date first) and how many there are.</summary>
    Task<Page<NoticeRow>> NoticesPageAsync(string? enteId, int offset, int limit);

    /// <summary>A window of the audit log (newest first) and how many rows match.</summary>
    Task<Page<AuditRow>> AuditPageAsync(string? filter, int offset, int limit);
}

/// <summary>The notice and audit tables in PostgreSQL, read with the silo's shared data source or the console's own.</summary>
public sealed class PostgresAdminReadStore(NpgsqlDataSource dataSource) : IAdminReadStore
{
    public async Task<ImmutableList<NoticeRow>> NoticesAsync(string? enteId, int max) =>
        (await NoticesPageAsync(enteId, 0, Math.Clamp(max, 1, 100_000), count: false)).Rows;

    public Task<Page<NoticeRow>> NoticesPageAsync(string? enteId, int offset, int limit) =>
        NoticesPageAsync(enteId, offset, limit, count: true);

    private async Task<Page<NoticeRow>> NoticesPageAsync(string? enteId, int offset, int limit, bool count)
    {
        try
        {
            var total = count ? await CountAsync("SELECT count(*) FROM notice WHERE ($1::text IS NULL OR ente = $1)", enteId) : 0;
            await using var command = dataSource.CreateCommand(
                """
                SELECT id, ente, object, kind, due_date, message, created_at FROM notice
                WHERE ($1::text IS NULL OR ente = $1)
                ORDER BY due_date DESC, id DESC
                OFFSET $3 LIMIT $2
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)enteId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = limit });
            command.Parameters.Add(new NpgsqlParameter { Value = offset });
            var rows = ImmutableList.CreateBuilder<NoticeRow>();
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                rows.Add(new NoticeRow(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(4)),
                    reader.GetString(5),
                    Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(6))));
            }

            return new Page<NoticeRow>(rows.ToImmutable(), total, offset);
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not read the notices: {e.Message}");
        }
    }

    public async Task<ImmutableList<AuditRow>> AuditAsync(string? filter, int max) =>
        (await AuditPageAsync(filter, 0, Math.Clamp(max, 1, 100_000), count: false)).Rows;

    public Task<Page<AuditRow>> AuditPageAsync(string? filter, int offset, int limit) =>
        AuditPageAsync(filter, offset, limit, count: true);

    private async Task<Page<AuditRow>> AuditPageAsync(string? filter, int offset, int limit, bool count)
    {
        const string where = "WHERE ($1::text IS NULL OR strpos(lower(object), lower($1)) > 0 OR strpos(lower(operator), lower($1)) > 0)";
        try
        {
            var text = string.IsNullOrWhiteSpace(filter) ? null : filter.Trim();
            var total = count ? await CountAsync("SELECT count(*) FROM audit " + where, text) : 0;
            await using var command = dataSource.CreateCommand(
                $"""
                SELECT id, operator, occurred_at, object, action, before_summary, after_summary FROM audit
                {where}
                ORDER BY id DESC
                OFFSET $3 LIMIT $2
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = limit });
            command.Parameters.Add(new NpgsqlParameter { Value = offset });
            var rows = ImmutableList.CreateBuilder<AuditRow>();
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                rows.Add(new AuditRow(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    Instant.FromDateTimeUtc(DateTime.SpecifyKind(reader.GetFieldValue<DateTime>(2), DateTimeKind.Utc)),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6)));
            }

            return new Page<AuditRow>(rows.ToImmutable(), total, offset);
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not read the audit log: {e.Message}");
        }
    }

    private async Task<int> CountAsync(string sql, string? text)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return checked((int)(long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!);
    }
}
