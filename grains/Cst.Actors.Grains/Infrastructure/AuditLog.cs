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

    /// <summary>Several rows at once (a bulk import); by default one after the other.</summary>
    async Task RecordManyAsync(IReadOnlyList<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            await RecordAsync(entry);
        }
    }
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

    /// <summary>Several rows in one statement.</summary>
    public async Task RecordManyAsync(IReadOnlyList<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        try
        {
            await using var command = dataSource.CreateCommand(
                """
                INSERT INTO audit (operator, occurred_at, object, action, before_summary, after_summary)
                SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[])
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Operator).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.At.ToDateTimeUtc()).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Object).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Action).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Before).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.After).ToArray() });
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not write {entries.Count} audit rows of {entries[0].Object}: {e.Message}");
        }
    }
}
