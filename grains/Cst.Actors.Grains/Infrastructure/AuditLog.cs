using Cst.Actors.Contracts.Errors;
using NodaTime;
using Npgsql;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>One row of the append-only <c>audit</c> table: who changed what, when, from what to what.</summary>
public sealed record AuditEntry(string Operator, Instant At, string Object, string Action, string? Before, string? After);

/// <summary>Where state changes are recorded.</summary>
public interface IAuditLog
{
    Task RecordAsync(AuditEntry entry);
}

/// <summary>The audit log in PostgreSQL.</summary>
public sealed class PostgresAuditLog(NpgsqlDataSource dataSource) : IAuditLog
{
    public async Task RecordAsync(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            await using var command = dataSource.CreateCommand(
                """
                INSERT INTO audit (operator, occurred_at, object, action, before_summary, after_summary)
                VALUES ($1, $2, $3, $4, $5, $6)
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = entry.Operator });
            command.Parameters.Add(new NpgsqlParameter { Value = entry.At.ToDateTimeUtc() });
            command.Parameters.Add(new NpgsqlParameter { Value = entry.Object });
            command.Parameters.Add(new NpgsqlParameter { Value = entry.Action });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.Before ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.After ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not write the audit row of {entry.Action} on {entry.Object}: {e.Message}");
        }
    }
}
