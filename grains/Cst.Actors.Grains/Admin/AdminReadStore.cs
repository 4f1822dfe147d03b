using System.Collections.Immutable;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Errors;
using NodaTime;
using Npgsql;

namespace Cst.Actors.Grains.Admin;

/// <summary>Reads the notice and audit tables for the admin console (the grains only ever append to them).</summary>
public interface IAdminReadStore
{
    Task<ImmutableList<NoticeRow>> NoticesAsync(string? enteId, int max);

    Task<ImmutableList<AuditRow>> AuditAsync(string? filter, int max);
}

/// <summary>The notice and audit tables in PostgreSQL, read with the silo's shared data source.</summary>
public sealed class PostgresAdminReadStore(NpgsqlDataSource dataSource) : IAdminReadStore
{
    public async Task<ImmutableList<NoticeRow>> NoticesAsync(string? enteId, int max)
    {
        try
        {
            await using var command = dataSource.CreateCommand(
                """
                SELECT id, ente, object, kind, due_date, message, created_at FROM notice
                WHERE ($1::text IS NULL OR ente = $1)
                ORDER BY due_date DESC, id DESC
                LIMIT $2
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)enteId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(max, 1, 100_000) });
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

            return rows.ToImmutable();
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not read the notices: {e.Message}");
        }
    }

    public async Task<ImmutableList<AuditRow>> AuditAsync(string? filter, int max)
    {
        try
        {
            await using var command = dataSource.CreateCommand(
                """
                SELECT id, operator, occurred_at, object, action, before_summary, after_summary FROM audit
                WHERE ($1::text IS NULL OR strpos(lower(object), lower($1)) > 0 OR strpos(lower(operator), lower($1)) > 0)
                ORDER BY id DESC
                LIMIT $2
                """);
            var text = string.IsNullOrWhiteSpace(filter) ? null : filter.Trim();
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(max, 1, 100_000) });
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

            return rows.ToImmutable();
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not read the audit log: {e.Message}");
        }
    }
}
