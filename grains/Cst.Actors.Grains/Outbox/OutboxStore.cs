using System.Collections.Immutable;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Outbox;
using NodaTime;
using Npgsql;

namespace Cst.Actors.Grains.Outbox;

/// <summary>A message claimed for sending: what it is for and the Message-ID it keeps on every attempt.</summary>
public sealed record ClaimedMessage(long Id, string Kind, string Ente, int? BillingYear, int? Revision, long? NoticeId, string MessageId, int Attempts);

/// <summary>The evidence of a delivery.</summary>
public sealed record DeliveryEvidence(string Channel, string Recipient, string Subject, string? Attachment, string? RelayResponse, string? RelayId, string? EmlPath)
{
    /// <summary>What the operators should know of the message as sent, e.g. a payer without a codice fiscale.</summary>
    public string? Note { get; init; }
}

/// <summary>A deadline notice as the notice table holds it.</summary>
public sealed record StoredNotice(long Id, string Ente, string Object, string Kind, LocalDate Due, string Message);

/// <summary>What recording a PEC receipt did.</summary>
public enum ReceiptOutcome
{
    Recorded,
    AlreadyRecorded,
    UnknownMessage,
}

/// <summary>The outbox table (sql/schema/0010) and the PEC receipts of its messages (0014).</summary>
public sealed class OutboxStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        """
        m.id, m.kind, m.source_key, m.ente, m.status, m.attempts, m.next_attempt_at, m.message_id, m.recipient, m.subject, m.attachment,
        m.channel, m.sent_at, m.relay_response, m.relay_id, m.eml_path, m.last_error, m.created_at, d.kind, d.certified_at, d.detail, m.note
        """;

    // The receipt that says most about the delivery: delivered, then not delivered, late, accepted; the latest of a kind.
    private const string Delivery =
        """
        outbox_message m LEFT JOIN LATERAL (
            SELECT r.kind, r.certified_at,
                   CASE WHEN r.kind IN ('avvenuta-consegna', 'accettazione', 'presa-in-carico') THEN r.recipient
                        ELSE coalesce(r.error_detail, r.error) END AS detail
            FROM outbox_receipt r WHERE r.outbox_id = m.id
            ORDER BY CASE r.kind WHEN 'avvenuta-consegna' THEN 0 WHEN 'errore-consegna' THEN 1 WHEN 'non-accettazione' THEN 1
                                 WHEN 'rilevazione-virus' THEN 1 WHEN 'preavviso-errore-consegna' THEN 2 ELSE 3 END, r.certified_at DESC
            LIMIT 1) d ON true
        """;

    // A message handed to the relay by a silo that then stopped is sent once at most: a receipt that the provider
    // accepted it records it as sent (sql/schema/0014, note 3).
    private const string ConfirmByReceipts =
        """
        UPDATE outbox_message m SET status = 'sent', sent_at = r.certified_at, channel = coalesce(m.channel, 'smtp'),
            relay_response = 'confirmed by the PEC receipt ' || r.kind || ' ' || r.receipt_message_id, last_error = NULL,
            claimed_by = NULL, claimed_until = NULL
        FROM (SELECT DISTINCT ON (outbox_id) outbox_id, kind, certified_at, receipt_message_id FROM outbox_receipt
              WHERE kind <> 'non-accettazione' ORDER BY outbox_id, certified_at) r
        WHERE r.outbox_id = m.id AND m.handed_over_at IS NOT NULL
          AND (m.status = 'failed' OR (m.status = 'sending' AND m.claimed_until < now()))
        """;

    /// <summary>Claims up to <paramref name="max"/> due messages for <paramref name="silo"/>, leased for <paramref name="lease"/>.</summary>
    public Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(string silo, TimeSpan lease, int max, string idDomain) =>
        Guarded("claim outbox messages", async () =>
        {
            // First the rows whose silo stopped after handing them to the relay: confirmed by a receipt, or failed with
            // the explanation, never claimed again by themselves.
            await using (var confirm = Command(ConfirmByReceipts))
            {
                await confirm.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            await using (var uncertain = Command(
                """
                UPDATE outbox_message SET status = 'failed', claimed_by = NULL, claimed_until = NULL,
                    last_error = 'the silo sending it stopped after handing it to the relay at '
                        || to_char(handed_over_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC, so it may have been delivered: '
                        || 'it is not sent again by itself. Its PEC acceptance receipt records it as sent; without one, look for Message-ID '
                        || message_id || ' in the relay''s log, and only if it is not there: cst outbox retry ' || id
                WHERE status = 'sending' AND claimed_until < now() AND handed_over_at IS NOT NULL
                """))
            {
                await uncertain.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            await using var command = Command(
                """
                UPDATE outbox_message m
                SET status = 'sending', attempts = m.attempts + 1, claimed_by = $1, claimed_until = now() + make_interval(secs => $2),
                    message_id = coalesce(m.message_id, 'cst-outbox-' || m.id || '@' || $3)
                WHERE m.id IN (SELECT id FROM outbox_message
                               WHERE (status = 'pending' AND next_attempt_at <= now())
                                  OR (status = 'sending' AND claimed_until < now() AND handed_over_at IS NULL)
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
                    relay_response = $7, relay_id = $8, eml_path = $9, last_error = NULL, claimed_by = NULL, claimed_until = NULL, note = $10
                WHERE id = $1 AND status = 'sending' AND claimed_by = $2
                """, id, silo, evidence.Channel, evidence.Recipient, evidence.Subject, evidence.Attachment, evidence.RelayResponse,
                evidence.RelayId, evidence.EmlPath, evidence.Note);
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
        });

    /// <summary>
    /// Records, before the message's data goes to the relay, that it is being handed over, with its recipient and subject;
    /// false when the claim was lost meanwhile (then nothing may be sent).
    /// </summary>
    public Task<bool> HandingOverAsync(long id, string silo, string recipient, string subject, string? attachment, string? note) =>
        Guarded($"record the hand-over of outbox message {id}", async () =>
        {
            await using var command = Command(
                """
                UPDATE outbox_message SET handed_over_at = now(), channel = 'smtp', recipient = $3, subject = $4, attachment = $5, note = $6
                WHERE id = $1 AND status = 'sending' AND claimed_by = $2
                """, id, silo, recipient, subject, attachment, note);
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
        });

    /// <summary>
    /// Puts the message back for a later attempt (after <paramref name="delay"/>), or marks it failed when it has had its
    /// attempts. A failure after the hand-over that the relay did not answer (<paramref name="uncertain"/>: the connection
    /// dropped) may have delivered it: failed at once, never sent again by itself.
    /// </summary>
    public Task FailedAsync(long id, string silo, string error, TimeSpan delay, int maxAttempts, bool uncertain = false) =>
        Guarded($"record the failure of outbox message {id}", async () =>
        {
            await using var command = Command(
                """
                UPDATE outbox_message SET status = CASE WHEN $6 OR attempts >= $5 THEN 'failed' ELSE 'pending' END,
                    next_attempt_at = now() + make_interval(secs => $4), last_error = $3, claimed_by = NULL, claimed_until = NULL,
                    handed_over_at = CASE WHEN $6 THEN handed_over_at END
                WHERE id = $1 AND status = 'sending' AND claimed_by = $2
                """, id, silo, error, delay.TotalSeconds, maxAttempts, uncertain);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        });

    /// <summary>
    /// Records <paramref name="receipt"/> against the message it refers to, once (by the receipt's own Message-ID); a
    /// receipt that the provider accepted a message whose sender stopped mid-hand-over records that message as sent.
    /// </summary>
    public Task<(ReceiptOutcome Outcome, long? OutboxId)> RecordReceiptAsync(PecReceipt receipt, string source) =>
        Guarded($"record the PEC receipt {receipt.ReceiptMessageId}", async () =>
        {
            await using var command = Command(
                """
                WITH m AS (SELECT id FROM outbox_message WHERE message_id = $2),
                     ins AS (INSERT INTO outbox_receipt (outbox_id, kind, certified_at, receipt_message_id, referenced_message_id,
                                 provider_id, recipient, error, error_detail, source)
                             SELECT m.id, $1, $3, $4, $2, $5, $6, $7, $8, $9 FROM m
                             ON CONFLICT (receipt_message_id) DO NOTHING RETURNING outbox_id)
                SELECT (SELECT id FROM m), (SELECT outbox_id FROM ins)
                """, receipt.Kind, receipt.ReferencedMessageId, receipt.CertifiedAt.ToDateTimeUtc(), receipt.ReceiptMessageId,
                receipt.ProviderId, receipt.Recipient, receipt.Error, receipt.ErrorDetail, source);
            long? message = null, inserted = null;
            await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
            {
                if (await reader.ReadAsync().ConfigureAwait(false))
                {
                    message = reader.IsDBNull(0) ? null : reader.GetInt64(0);
                    inserted = reader.IsDBNull(1) ? null : reader.GetInt64(1);
                }
            }

            if (inserted is not null)
            {
                await using var confirm = Command(ConfirmByReceipts);
                await confirm.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            return (message is null ? ReceiptOutcome.UnknownMessage : inserted is null ? ReceiptOutcome.AlreadyRecorded : ReceiptOutcome.Recorded,
                message);
        });

    /// <summary>The receipts of one message, oldest first.</summary>
    public Task<ImmutableList<OutboxReceipt>> ReceiptsAsync(long id) =>
        Guarded($"read the receipts of outbox message {id}", async () =>
        {
            await using var command = Command(
                """
                SELECT kind, certified_at, receipt_message_id, provider_id, recipient, error, error_detail, source
                FROM outbox_receipt WHERE outbox_id = $1 ORDER BY certified_at, id
                """, id);
            var result = ImmutableList.CreateBuilder<OutboxReceipt>();
            await using var r = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await r.ReadAsync().ConfigureAwait(false))
            {
                string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
                result.Add(new OutboxReceipt(r.GetString(0), Instant.FromDateTimeUtc(DateTime.SpecifyKind(r.GetDateTime(1), DateTimeKind.Utc)),
                    r.GetString(2), S(3), S(4), S(5), S(6), r.GetString(7)));
            }

            return result.ToImmutable();
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
                $"SELECT {Columns} FROM {Delivery} WHERE ($1::text IS NULL OR m.status = $1) AND ($2::text IS NULL OR m.ente = $2) ORDER BY m.id DESC LIMIT $3",
                status, ente, max);
            return await ReadAsync(command).ConfigureAwait(false);
        });

    public Task<OutboxEntry?> GetAsync(long id) =>
        Guarded($"read outbox message {id}", async () =>
        {
            await using var command = Command($"SELECT {Columns} FROM {Delivery} WHERE m.id = $1", id);
            return (await ReadAsync(command).ConfigureAwait(false)).FirstOrDefault();
        });

    /// <summary>Makes a failed or pending message due now with its attempts counted afresh; false when it is sent or sending.</summary>
    public Task<bool> RetryAsync(long id) =>
        Guarded($"retry outbox message {id}", async () =>
        {
            await using var command = Command(
                "UPDATE outbox_message SET status = 'pending', attempts = 0, next_attempt_at = now(), handed_over_at = NULL WHERE id = $1 AND status IN ('failed', 'pending')", id);
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
                I(6)!.Value, S(7), S(8), S(9), S(10), S(11), I(12), S(13), S(14), S(15), S(16), I(17)!.Value)
            {
                Delivery = S(18) is { } kind ? DeliveryState(kind) : null,
                DeliveryAt = I(19),
                DeliveryDetail = S(20),
                Note = S(21),
            });
        }

        return result.ToImmutable();
    }

    /// <summary>The delivery state a receipt's kind gives.</summary>
    public static string DeliveryState(string kind) => kind switch
    {
        "avvenuta-consegna" => "delivered",
        "errore-consegna" or "non-accettazione" or "rilevazione-virus" => "not delivered",
        "preavviso-errore-consegna" => "delivery late",
        _ => "accepted",
    };

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
