using System.Collections.Immutable;
using Cst.Actors.Contracts.Outbox;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Validation;
using Cst.Actors.Grains.Infrastructure;
using Cst.Actors.Grains.Outbox;
using Orleans.Concurrency;

namespace Cst.Actors.Grains;

/// <summary>The outbox for operators: reads the table, and makes a failed message due again (audited).</summary>
[StatelessWorker]
[GrainType("outbox")]
public sealed class OutboxGrain(OutboxStore store, GrainServices services) : Grain, IOutboxGrain
{
    public Task<ImmutableList<OutboxEntry>> ListAsync(string? status, string? ente, int max) =>
        store.ListAsync(string.IsNullOrWhiteSpace(status) ? null : status, string.IsNullOrWhiteSpace(ente) ? null : ente, Math.Clamp(max, 1, 10_000));

    public async Task<OutboxEntry> GetAsync(long id) =>
        (await store.GetAsync(id) ?? throw new OutOfRangeException("outbox message", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"there is no outbox message {id}")) with { Receipts = await store.ReceiptsAsync(id) };

    public async Task<OutboxEntry> RetryAsync(long id, string operatorName)
    {
        var op = BusinessTime.Operator(operatorName);
        var entry = await GetAsync(id);
        if (!await store.RetryAsync(id))
        {
            throw new IllegalTransitionException($"outbox message {id}", "retry", entry.Status == "sent"
                ? $"outbox message {id} was sent on {entry.SentAt} to {entry.Recipient} (Message-ID {entry.MessageId}); sending it again would deliver it twice"
                : $"outbox message {id} is being sent now");
        }

        await services.Audit.RecordAsync(new AuditEntry(op, services.Clock.GetCurrentInstant(), $"outbox:{id}", "retry",
            $"{entry.Status}, {entry.Attempts} attempts: {entry.LastError}", "pending"));
        return await GetAsync(id);
    }
}
