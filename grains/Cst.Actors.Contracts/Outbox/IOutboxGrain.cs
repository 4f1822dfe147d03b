using System.Collections.Immutable;
using NodaTime;

namespace Cst.Actors.Contracts.Outbox;

/// <summary>
/// One message of the outbox (sql/schema/0010): a numbered statement or a deadline notice for an ente's referente,
/// where it stands, and the evidence of its delivery once sent.
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.OutboxEntry")]
public sealed record OutboxEntry(
    [property: Id(0)] long Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] string SourceKey,
    [property: Id(3)] string Ente,
    [property: Id(4)] string Status,
    [property: Id(5)] int Attempts,
    [property: Id(6)] Instant NextAttemptAt,
    [property: Id(7)] string? MessageId,
    [property: Id(8)] string? Recipient,
    [property: Id(9)] string? Subject,
    [property: Id(10)] string? Attachment,
    [property: Id(11)] string? Channel,
    [property: Id(12)] Instant? SentAt,
    [property: Id(13)] string? RelayResponse,
    [property: Id(14)] string? RelayId,
    [property: Id(15)] string? EmlPath,
    [property: Id(16)] string? LastError,
    [property: Id(17)] Instant CreatedAt)
{
    /// <summary>
    /// What the PEC receipts say of its delivery (sql/schema/0014): <c>delivered</c>, <c>not delivered</c>,
    /// <c>delivery late</c> or <c>accepted</c>; null while no receipt has arrived.
    /// </summary>
    [Id(18)]
    public string? Delivery { get; init; }

    /// <summary>The time the provider certifies for that receipt.</summary>
    [Id(19)]
    public Instant? DeliveryAt { get; init; }

    /// <summary>The provider's reason when not delivered (or late), else the recipient it was delivered to.</summary>
    [Id(20)]
    public string? DeliveryDetail { get; init; }

    /// <summary>Every receipt recorded for the message, oldest first (filled by <see cref="IOutboxGrain.GetAsync"/>).</summary>
    [Id(21)]
    public ImmutableList<OutboxReceipt> Receipts { get; init; } = [];

    /// <summary>What the operators should know of the message as sent, e.g. a statement whose payer has no codice fiscale.</summary>
    [Id(22)]
    public string? Note { get; init; }
}

/// <summary>
/// A PEC receipt recorded against an outbox message: its kind (the X-Ricevuta value), the time the provider certifies, the
/// receipt's own Message-ID, the provider's identifier, the recipient, the error and its reason, and where it was read.
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.OutboxReceipt")]
public sealed record OutboxReceipt(
    [property: Id(0)] string Kind,
    [property: Id(1)] Instant CertifiedAt,
    [property: Id(2)] string ReceiptMessageId,
    [property: Id(3)] string? ProviderId,
    [property: Id(4)] string? Recipient,
    [property: Id(5)] string? Error,
    [property: Id(6)] string? ErrorDetail,
    [property: Id(7)] string Source);

/// <summary>
/// The outbox as operators see it (stateless; key <see cref="Key"/>): the latest messages, one message with its
/// evidence, and a retry of a message that failed. Refusals arrive as <c>CstDomainError</c>.
/// </summary>
public interface IOutboxGrain : IGrainWithStringKey
{
    public const string Key = "outbox";

    /// <summary>The latest messages, newest first, optionally only those in <paramref name="status"/> or of one ente.</summary>
    Task<ImmutableList<OutboxEntry>> ListAsync(string? status, string? ente, int max);

    /// <summary>One message; throws when there is none with that id.</summary>
    Task<OutboxEntry> GetAsync(long id);

    /// <summary>
    /// Sends a failed (or still pending) message at the next round, its attempts counted afresh. A message already sent
    /// is refused: its evidence stands, and sending it again would deliver it twice.
    /// </summary>
    Task<OutboxEntry> RetryAsync(long id, string operatorName);
}
