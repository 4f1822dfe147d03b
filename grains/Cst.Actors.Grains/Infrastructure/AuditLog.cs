using Cst.Actors.Contracts.Errors;
using NodaTime;
using Npgsql;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>
/// One row of the append-only <c>audit</c> table: who changed what, when, from what to what. A grain keeps the rows of
/// its last change in its state until they are written (<see cref="ChangeId"/> makes writing them again harmless), so
/// a change whose audit insert failed is audited by the next call instead of never.
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.AuditEntry")]
public sealed record AuditEntry(
    [property: Id(0)] string Operator,
    [property: Id(1)] Instant At,
    [property: Id(2)] string Object,
    [property: Id(3)] string Action,
    [property: Id(4)] string? Before,
    [property: Id(5)] string? After)
{
    /// <summary>The change this row records: the audit table holds a change id at most once (sql/schema/0008).</summary>
    /// <remarks>
    /// Time-ordered (UUID version 7): the unique index on it then grows at its end, like the row ids; random ids put each
    /// insert on a random page of an index that grows with the table (a bulk import writes two rows per object).
    /// </remarks>
    [Id(6)] public Guid ChangeId { get; init; } = Guid.CreateVersion7();
}

/// <summary>Where state changes are recorded.</summary>
public interface IAuditLog
{
    /// <summary>Writes the row, or nothing when a row of the same <see cref="AuditEntry.ChangeId"/> is there.</summary>
    Task RecordAsync(AuditEntry entry);

    /// <summary>Whether the row of this change was written.</summary>
    Task<bool> ContainsAsync(Guid changeId);

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
    private const string InsertOne =
        """
        INSERT INTO audit (operator, occurred_at, object, action, before_summary, after_summary, change_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (change_id) WHERE change_id IS NOT NULL DO NOTHING
        """;

    public async Task RecordAsync(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            await using var command = dataSource.CreateCommand(InsertOne);
            await InsertAsync(command, entry).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not write the audit row of {entry.Action} on {entry.Object}: {e.Message}");
        }
    }

    /// <summary>Inserts the row on <paramref name="connection"/>, inside the transaction open on it: with the change it records.</summary>
    public static async Task InsertAsync(NpgsqlConnection connection, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = new NpgsqlCommand(InsertOne, connection);
        await InsertAsync(command, entry).ConfigureAwait(false);
    }

    private static async Task InsertAsync(NpgsqlCommand command, AuditEntry entry)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Operator });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.At.ToDateTimeUtc() });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Object });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Action });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.Before ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.After ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.ChangeId });
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async Task<bool> ContainsAsync(Guid changeId)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM audit WHERE change_id = $1)");
            command.Parameters.Add(new NpgsqlParameter { Value = changeId });
            return (bool)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not read the audit log: {e.Message}");
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
                INSERT INTO audit (operator, occurred_at, object, action, before_summary, after_summary, change_id)
                SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[])
                ON CONFLICT (change_id) WHERE change_id IS NOT NULL DO NOTHING
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Operator).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.At.ToDateTimeUtc()).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Object).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Action).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Before).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.After).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.ChangeId).ToArray() });
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError(
                $"Could not write the audit row{(entries.Count == 1 ? string.Empty : "s")} of "
                + $"{string.Join(", ", entries.Select(x => x.Action).Distinct())} on {entries[0].Object}: {e.Message}");
        }
    }
}
