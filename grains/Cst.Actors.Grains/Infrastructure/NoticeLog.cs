using Cst.Actors.Contracts.Errors;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>A notice produced by a deadline: one row of the <c>notice</c> table (sql/schema/0001).</summary>
/// <param name="Ente">The key of the ente concerned.</param>
/// <param name="Object">The key of the object: mailbox address, device serial, hosted service key.</param>
/// <param name="Kind">The deadline kind (DisdettaWarning, Expiry...).</param>
/// <param name="Due">The day the deadline fell due.</param>
/// <param name="Message">A plain sentence for the operator.</param>
public sealed record Notice(string Ente, string Object, string Kind, LocalDate Due, string Message);

/// <summary>Where notices go. Writing the same (object, kind, due date) twice stores it once.</summary>
public interface INoticeLog
{
    /// <summary>Stores the notice; false when it was already there.</summary>
    Task<bool> RecordAsync(Notice notice);
}

/// <summary>
/// Notices in PostgreSQL; the unique key <c>notice_once</c> makes a repeated handling harmless. A notice written is
/// queued in the outbox by the same statement, for its ente's referente.
/// </summary>
public sealed class PostgresNoticeLog(NpgsqlDataSource dataSource) : INoticeLog
{
    public async Task<bool> RecordAsync(Notice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        try
        {
            await using var command = dataSource.CreateCommand(
                """
                WITH written AS (
                    INSERT INTO notice (ente, object, kind, due_date, message)
                    VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT ON CONSTRAINT notice_once DO NOTHING
                    RETURNING id, ente)
                -- The notice goes to the ente's referente: queued with it, once (sql/schema/0010).
                INSERT INTO outbox_message (kind, source_key, ente, notice_id)
                SELECT 'notice', 'notice:' || id, ente, id FROM written
                ON CONFLICT ON CONSTRAINT outbox_message_once DO NOTHING
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = notice.Ente });
            command.Parameters.Add(new NpgsqlParameter { Value = notice.Object });
            command.Parameters.Add(new NpgsqlParameter { Value = notice.Kind });
            command.Parameters.Add(new NpgsqlParameter { Value = notice.Due.ToDateOnly(), NpgsqlDbType = NpgsqlDbType.Date });
            command.Parameters.Add(new NpgsqlParameter { Value = notice.Message });
            var produced = await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
            if (produced)
            {
                CstMetrics.NoticesProduced.Add(1, new KeyValuePair<string, object?>("kind", notice.Kind));
            }

            return produced;
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError(
                $"Could not write the {notice.Kind} notice of {notice.Object} due {notice.Due:yyyy-MM-dd}: {e.Message}");
        }
    }
}
