using System.Collections.Immutable;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Outbox;
using NodaTime;
using Npgsql;

namespace Cst.Actors.Grains.Outbox;

/// <summary>A message claimed for sending: what it is for and the Message-ID it keeps on every attempt.</summary>
public sealed record ClaimedMessage(long Id, string Kind, string Ente, int? BillingYear, int? Revision, long? NoticeId, string MessageId, int Attempts);

/// <summary>The evidence of a delivery.</summary>
public sealed record DeliveryEvidence(string Channel, string Recipient, string Subject, string? Attachment, string? RelayResponse, string? RelayId, string? EmlPath);

/// <summary>A deadline notice as the notice table holds it.</summary>
public sealed record StoredNotice(long Id, string Ente, string Object, string Kind, LocalDate Due, string Message);

/// <summary>The outbox table (sql/schema/0010).</summary>
public sealed class OutboxStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        """
        id, kind, source_key, ente, status, attempts, next_attempt_at, message_id, recipient, subject, attachment, channel,
        sent_at, relay_response, relay_id, eml_path, last_error, created_at
        """;

    /// <summary>Claims up to <paramref name="max"/> due messages for <paramref name="silo"/>, leased for <paramref name="lease"/>.</summary>
    public Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(string silo, TimeSpan lease, int max, string idDomain) =>
        Guarded("claim outbox messages", async () =>
        {
            await using var command = Command(
                """
                UPDATE outbox_message m
                SET status = 'sending', attempts = m.attempts + 1, claimed_by = $1, claimed_until = now() + make_interval(secs => $2),
                    message_id = coalesce(m.message_id, 'cst-outbox-' || m.id || '@' || $3)
                WHERE m.id IN (SELECT id FROM outbox_message
                               WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND claimed_until < now())
                               ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED)
                RETURNING m.id, m.kind, m.ente, m.billing_year, m.revision, m.notice_id, m.message_id, m.attempts
                """, silo, lease.TotalSeconds, idDomain, max);
            var result = new List<ClaimedMessage>();
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                result.Add(new ClaimedMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetInt32(4),
                    reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.GetString(6), reader.GetInt32(7)));
            }

            return (IReadOnlyList<ClaimedMessage>)result.OrderBy(m => m.Id).ToList();
        });

    /// <summary>Records the delivery; false when the claim was lost meanwhile (another silo took the message over).</summary>
    public Task<bool> SentAsync(long id, string silo, DeliveryEvidence evidence) =>
        Guarded($"record the delivery of outbox message {id}", async () =>
        {
            await using var command = Command(
                """
                UPDATE outbox_message SET status = 'sent', sent_at = now(), channel = $3, recipient = $4, subject = $5, attachment = $6,
                    relay_response = $7, relay_id = $8, eml_path = $9, last_error = NULL, claimed_by = NULL, claimed_until = NULL
                WHERE id = $1 AND status = 'sending' AND claimed_by = $2
                """, id, silo, evidence.Channel, evidence.Recipient, evidence.Subject, evidence.Attachment, evidence.RelayResponse,
                evidence.RelayId, evidence.EmlPath);
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
        });

    /// <summary>Puts the message back for a later attempt (after <paramref name="delay"/>), or marks it failed when it has had its attempts.</summary>
    public Task FailedAsync(long id, string silo, string error, TimeSpan delay, int maxAttempts) =>
        Guarded($"record the failure of outbox message {id}", async () =>
        {
            await using var command = Command(
                """
                UPDATE outbox_message SET status = CASE WHEN attempts >= $5 THEN 'failed' ELSE 'pending' END,
                    next_attempt_at = now() + make_interval(secs => $4), last_error = $3, claimed_by = NULL, claimed_until = NULL
                WHERE id = $1 AND status = 'sending' AND claimed_by = $2
                """, id, silo, error, delay.TotalSeconds, maxAttempts);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        });

    /// <summary>Gives back a claim not yet used (the silo is stopping): the message is due again at once.</summary>
    public Task ReleaseAsync(long id, string silo) =>
        Guarded($"release outbox message {id}", async () =>
        {
            await using var command = Command(
                """
                UPDATE outbox_message SET status = 'pending', attempts = greatest(attempts - 1, 0), claimed_by = NULL, claimed_until = NULL
                WHERE id = $1 AND status = 'sending' AND claimed_by = $2
                """, id, silo);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        });

    public Task<StoredNotice?> NoticeAsync(long id) =>
        Guarded($"read notice {id}", async () =>
        {
            await using var command = Command("SELECT id, ente, object, kind, due_date, message FROM notice WHERE id = $1", id);
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            return await reader.ReadAsync().ConfigureAwait(false)
                ? new StoredNotice(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(4)), reader.GetString(5))
                : null;
        });

    public Task<ImmutableList<OutboxEntry>> ListAsync(string? status, string? ente, int max) =>
        Guarded("read the outbox", async () =>
        {
            await using var command = Command(
                $"SELECT {Columns} FROM outbox_message WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR ente = $2) ORDER BY id DESC LIMIT $3",
                status, ente, max);
            return await ReadAsync(command).ConfigureAwait(false);
        });

    public Task<OutboxEntry?> GetAsync(long id) =>
        Guarded($"read outbox message {id}", async () =>
        {
            await using var command = Command($"SELECT {Columns} FROM outbox_message WHERE id = $1", id);
            return (await ReadAsync(command).ConfigureAwait(false)).FirstOrDefault();
        });

    /// <summary>Makes a failed or pending message due now with its attempts counted afresh; false when it is sent or sending.</summary>
    public Task<bool> RetryAsync(long id) =>
        Guarded($"retry outbox message {id}", async () =>
        {
            await using var command = Command(
                "UPDATE outbox_message SET status = 'pending', attempts = 0, next_attempt_at = now() WHERE id = $1 AND status IN ('failed', 'pending')", id);
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
        });

    private static async Task<ImmutableList<OutboxEntry>> ReadAsync(NpgsqlCommand command)
    {
        var result = ImmutableList.CreateBuilder<OutboxEntry>();
        await using var r = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await r.ReadAsync().ConfigureAwait(false))
        {
            string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            Instant? I(int i) => r.IsDBNull(i) ? null : Instant.FromDateTimeUtc(DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc));
            result.Add(new OutboxEntry(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5),
                I(6)!.Value, S(7), S(8), S(9), S(10), S(11), I(12), S(13), S(14), S(15), S(16), I(17)!.Value));
        }

        return result.ToImmutable();
    }

    private NpgsqlCommand Command(string sql, params object?[] values)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private static async Task<T> Guarded<T>(string what, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not {what}: {e.Message}");
        }
    }

    private static async Task Guarded(string what, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new CstInfrastructureError($"Could not {what}: {e.Message}");
        }
    }
}
