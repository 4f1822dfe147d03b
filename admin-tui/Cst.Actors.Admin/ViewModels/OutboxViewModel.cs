using System.Collections.Immutable;
using System.Globalization;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Contracts.Outbox;

namespace Cst.Actors.Admin.ViewModels;

/// <summary>
/// The outbox as <c>cst outbox</c> reads it (<see cref="IOutboxGrain"/>): the latest statements and notices sent or to
/// send, one message whole with the evidence of its delivery, and the retry of one that failed.
/// </summary>
public sealed class OutboxViewModel(AdminSession session)
{
    public const int Max = 500;

    private IOutboxGrain Outbox => session.Grains.GetGrain<IOutboxGrain>(IOutboxGrain.Key);

    public ImmutableList<OutboxEntry> Rows { get; private set; } = [];

    /// <summary>Only messages in this status (pending, sending, sent, failed); null for all.</summary>
    public string? Status { get; private set; }

    /// <summary>Only messages of this ente; null for all.</summary>
    public string? Ente { get; private set; }

    public async Task LoadAsync() =>
        Rows = await session.CallAsync("reading the outbox", () => Outbox.ListAsync(Status, Ente, Max));

    /// <summary>The statuses a message goes through, for the filter's pick-list.</summary>
    public static IReadOnlyList<string> Statuses { get; } = ["pending", "sending", "sent", "failed"];

    /// <summary>Filters by status (picked from the list) and by ente (its key; empty for all), as <c>cst outbox list</c>.</summary>
    public ActionForm FilterForm() => new(
        "Filter the outbox",
        [
            new("Status", Status ?? string.Empty, [new FormChoice(string.Empty, "(all)"), .. Statuses.Select(s => new FormChoice(s, s))]),
            new("Ente (empty: all)", Ente ?? string.Empty),
        ],
        v =>
        {
            var status = Input.Optional(v[0]);
            var ente = Input.Optional(v[1]);
            return new PreparedAction(string.Empty, async () =>
            {
                (Status, Ente) = (status, ente);
                await LoadAsync();
                return Status is null && Ente is null ? "All messages shown." : $"{Rows.Count} message(s) shown.";
            });
        });

    /// <summary>The message as stored now (its evidence may have arrived since the list was read).</summary>
    public Task<OutboxEntry> GetAsync(long id) => session.CallAsync("reading the message", () => Outbox.GetAsync(id));

    /// <summary>Sends the message again at the outbox's next round; the grain refuses one already sent.</summary>
    public async Task<OutboxEntry> RetryAsync(long id)
    {
        var entry = await session.CallAsync("retrying the message", () => Outbox.RetryAsync(id, session.Operator));
        await LoadAsync();
        return entry;
    }

    /// <summary>Only a message not delivered can be sent again: one sent stands on its evidence.</summary>
    public static bool CanRetry(OutboxEntry entry) => entry is { Status: "failed" or "pending" };

    /// <summary>The message's fields by name (those with a value), as <c>cst outbox show</c> lists them.</summary>
    public static IReadOnlyList<(string Name, string Value)> Evidence(OutboxEntry r, Func<NodaTime.Instant, string> time)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(time);
        (string, string?)[] all =
        [
            ("id", r.Id.ToString(CultureInfo.InvariantCulture)), ("kind", r.Kind), ("source", r.SourceKey), ("ente", r.Ente), ("status", r.Status),
            ("attempts", r.Attempts.ToString(CultureInfo.InvariantCulture)), ("nextAttemptAt", r.Status is "pending" ? time(r.NextAttemptAt) : null),
            ("messageId", r.MessageId), ("recipient", r.Recipient), ("subject", r.Subject), ("attachment", r.Attachment), ("channel", r.Channel),
            ("sentAt", r.SentAt is { } sent ? time(sent) : null), ("relayResponse", r.RelayResponse), ("relayId", r.RelayId), ("emlPath", r.EmlPath),
            ("lastError", r.LastError), ("createdAt", time(r.CreatedAt)),
        ];
        return [.. all.Where(f => !string.IsNullOrEmpty(f.Item2)).Select(f => (f.Item1, f.Item2!))];
    }
}
