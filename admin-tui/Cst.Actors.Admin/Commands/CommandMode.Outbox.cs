using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Connection;
using Cst.Actors.Contracts.Outbox;

namespace Cst.Actors.Admin.Commands;

/// <summary>The outbox verbs: cst outbox list | show ID | retry ID.</summary>
public sealed partial class CommandMode
{
    internal const string OutboxUsage =
        """
          outbox list [--status S] [--ente KEY] [--max N]  statements and notices sent or to send, newest first
          outbox show ID                        one message with the evidence of its delivery
          outbox retry ID                       send a failed message again at the next round
        """;

    private void AddOutbox(Command root)
    {
        var outbox = Group(root, "outbox", "statements and deadline notices sent by PEC / e-mail: list, show, retry");
        var status = StrictCommandLine.Choice("--status", "only the messages in this state", StringComparer.Ordinal, "pending", "sending", "sent", "failed");
        var ente = StrictCommandLine.Text("--ente", "only the messages of this ente", "KEY");
        var max = Max();
        Verb(outbox, "list", "the latest messages of the outbox", [status, ente, max], p => s =>
            OutboxListAsync(s, p.GetValue(status), p.GetValue(ente), p.GetValue(max) ?? 100, Json(p)));

        var showArg = new Argument<int>("ID") { Description = "the message's number (cst outbox list)" };
        Verb(outbox, "show", "one message with the evidence of its delivery", [showArg], p => s => OutboxShowAsync(s, p.GetValue(showArg), Json(p)));

        var retryArg = new Argument<int>("ID") { Description = "the message's number (cst outbox list)" };
        Verb(outbox, "retry", "send a failed message again at the next round", [retryArg], p =>
        {
            var id = p.GetValue(retryArg);
            var json = Json(p);
            return async s =>
            {
                var entry = await s.CallAsync("retrying the message", () => s.Grains.GetGrain<IOutboxGrain>(IOutboxGrain.Key).RetryAsync(id, s.Operator));
                WriteResult(json, OutboxJson(entry), $"message {entry.Id} is {entry.Status}: it is sent at the next round of the outbox");
                return ExitOk;
            };
        });
    }

    private async Task<int> OutboxListAsync(AdminSession session, string? status, string? ente, int max, bool json)
    {
        var rows = await session.CallAsync("reading the outbox", () => session.Grains.GetGrain<IOutboxGrain>(IOutboxGrain.Key).ListAsync(status, ente, max));
        if (json)
        {
            WriteJson(new JsonArray([.. rows.Select(r => (JsonNode)OutboxJson(r))]));
            return ExitOk;
        }

        // DELIVERY is what the PEC receipts say; the last column the provider's reason when it was not delivered.
        Table(["ID", "KIND", "ENTE", "STATUS", "DELIVERY", "TRIES", "SENT (UTC)", "TO", "SUBJECT / ERROR"], rows.Select(r => new[]
        {
            r.Id.ToString(CultureInfo.InvariantCulture), r.Kind, r.Ente, r.Status, r.Delivery ?? (r.Status == "sent" ? "no receipt" : string.Empty),
            r.Attempts.ToString(CultureInfo.InvariantCulture),
            r.SentAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? string.Empty, r.Recipient ?? string.Empty,
            (r.Delivery is "not delivered" or "delivery late" ? r.DeliveryDetail : r.Status == "sent" ? r.Subject : r.LastError ?? r.SourceKey) ?? string.Empty,
        }));
        return ExitOk;
    }

    private async Task<int> OutboxShowAsync(AdminSession session, long id, bool json)
    {
        var r = await session.CallAsync("reading the message", () => session.Grains.GetGrain<IOutboxGrain>(IOutboxGrain.Key).GetAsync(id));
        if (json)
        {
            WriteJson(OutboxJson(r));
            return ExitOk;
        }

        foreach (var (name, value) in Fields(r))
        {
            if (value is not null)
            {
                output.WriteLine($"{name,-16} {value}");
            }
        }

        output.WriteLine(r.Receipts.Count == 0
            ? "receipts         none yet (a PEC provider sends its acceptance and delivery receipts to the sending mailbox)"
            : "receipts");
        foreach (var receipt in r.Receipts)
        {
            output.WriteLine($"  {receipt.CertifiedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC  {receipt.Kind}: {ReceiptWords(receipt.Kind)}"
                + (receipt.Recipient is { } to ? $", {to}" : string.Empty)
                + ((receipt.ErrorDetail ?? receipt.Error) is { } why ? $": {why}" : string.Empty));
            output.WriteLine($"      receipt {receipt.ReceiptMessageId}{(receipt.ProviderId is { } pid ? $", provider id {pid}" : string.Empty)}, read from {receipt.Source}");
        }

        return ExitOk;
    }

    private static JsonObject OutboxJson(OutboxEntry r)
    {
        var node = new JsonObject();
        foreach (var (name, value) in Fields(r))
        {
            node[name] = value;
        }

        node["receipts"] = new JsonArray([.. r.Receipts.Select(x => (JsonNode)new JsonObject
        {
            ["kind"] = x.Kind, ["certifiedAt"] = x.CertifiedAt.ToString(), ["receiptMessageId"] = x.ReceiptMessageId, ["providerId"] = x.ProviderId,
            ["recipient"] = x.Recipient, ["error"] = x.Error, ["errorDetail"] = x.ErrorDetail, ["source"] = x.Source,
        })]);
        return node;
    }

    /// <summary>A receipt's kind (the X-Ricevuta value of the PEC rules) in plain words.</summary>
    private static string ReceiptWords(string kind) => kind switch
    {
        "accettazione" => "accepted by the sender's PEC provider",
        "non-accettazione" => "not accepted by the sender's PEC provider",
        "presa-in-carico" => "taken over by the recipient's PEC provider",
        "avvenuta-consegna" => "delivered to the recipient's mailbox",
        "preavviso-errore-consegna" => "not yet delivered after 12 hours",
        "errore-consegna" => "not delivered",
        "rilevazione-virus" => "not delivered: a virus was detected",
        _ => kind,
    };

    private static IEnumerable<(string Name, string? Value)> Fields(OutboxEntry r) =>
    [
        ("id", r.Id.ToString(CultureInfo.InvariantCulture)), ("kind", r.Kind), ("source", r.SourceKey), ("ente", r.Ente), ("status", r.Status),
        ("attempts", r.Attempts.ToString(CultureInfo.InvariantCulture)), ("nextAttemptAt", r.Status is "pending" ? r.NextAttemptAt.ToString() : null),
        ("messageId", r.MessageId), ("recipient", r.Recipient), ("subject", r.Subject), ("attachment", r.Attachment), ("channel", r.Channel),
        ("sentAt", r.SentAt?.ToString()), ("relayResponse", r.RelayResponse), ("relayId", r.RelayId), ("emlPath", r.EmlPath),
        ("lastError", r.LastError), ("createdAt", r.CreatedAt.ToString()), ("delivery", r.Delivery), ("deliveryAt", r.DeliveryAt?.ToString()),
        ("deliveryDetail", r.DeliveryDetail), ("note", r.Note),
    ];
}
