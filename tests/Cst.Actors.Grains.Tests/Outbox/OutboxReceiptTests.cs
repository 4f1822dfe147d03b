using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Outbox;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Grains.Tests.Billing;
using MailKit;
using MimeKit;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Outbox;

/// <summary>
/// A silo killed after handing a statement to the relay never sends it again by itself, and the PEC receipts dropped as
/// .eml files are recorded against their messages, once each. Hand-worked enti: Alfa pays 783.13, Beta 2,261.00.
/// </summary>
[Collection(BillingCollection.Name)]
public sealed class OutboxReceiptTests(SmtpOutboxCluster fixture) : IClassFixture<SmtpOutboxCluster>
{
    private IOutboxGrain Outbox => fixture.Client.GetGrain<IOutboxGrain>(IOutboxGrain.Key);

    [Fact]
    public async Task SiloKilledAfterTheRelayTookTheData_MessageIsNotSentAgain_AndItsAcceptanceReceiptRecordsItSent()
    {
        var enti = await HandWorkedEnti.CreateAsync(fixture.Client);
        await BillingRuns.RunAsync(fixture.Client, 2025, BillingRunMode.Final);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.HoldNextAnswer(gate, m => (m.Subject ?? string.Empty).StartsWith("Rendiconto", StringComparison.Ordinal));

        await fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2025, BillingRunMode.Final)).CloseAsync(Operator);

        // The relay has the first statement whole; the silo is killed before it hears the answer.
        await fixture.AnswerHeld.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var caughtId = fixture.HeldMessage!.MessageId!;
        await fixture.KillAndRestartAsync(() =>
        {
            gate.SetResult();
            return Task.CompletedTask;
        });

        // Once the lease has run out: failed with the explanation, not sent again; the other statement is sent.
        await OutboxCluster.UntilAsync(async () => (await fixture.ReadAsync(
            "SELECT count(*) FROM outbox_message WHERE kind = 'statement' AND status IN ('sent', 'failed')"))[0] == "2",
            "one statement sent and the one caught mid-delivery failed as unconfirmed");
        var statements = (await Outbox.ListAsync(null, null, 100)).Where(e => e.Kind == "statement").ToList();
        var unconfirmed = Assert.Single(statements, e => e.Status == "failed");
        Assert.Equal(caughtId, unconfirmed.MessageId);
        Assert.Contains("may have been delivered", unconfirmed.LastError, StringComparison.Ordinal);
        Assert.Contains($"cst outbox retry {unconfirmed.Id}", unconfirmed.LastError, StringComparison.Ordinal);
        Assert.Equal("protocollo@pec.comune.example.it", unconfirmed.Recipient);
        Assert.Single(fixture.Received, m => m.MessageId == caughtId);
        var other = Assert.Single(statements, e => e.Status == "sent");

        // The provider's receipts: acceptance of the unconfirmed one; acceptance and delivery of the other, its delivery
        // receipt dropped twice; and a message that is not a receipt.
        var accepted = PecReceiptMessages.Build("accettazione", caughtId, unconfirmed.Subject!, unconfirmed.Recipient!, "30/11/2026", "23:10:05");
        await PecReceiptMessages.DropAsync(accepted, fixture.ReceiptsDirectory, "1-accettazione.eml");
        await PecReceiptMessages.DropAsync(PecReceiptMessages.Build("accettazione", other.MessageId!, other.Subject!, other.Recipient!,
            "30/11/2026", "23:10:06"), fixture.ReceiptsDirectory, "2-accettazione.eml");
        var delivered = PecReceiptMessages.Build("avvenuta-consegna", other.MessageId!, other.Subject!, other.Recipient!, "30/11/2026", "23:10:09");
        await PecReceiptMessages.DropAsync(delivered, fixture.ReceiptsDirectory, "3-consegna.eml");
        await PecReceiptMessages.DropAsync(new MimeMessage { Subject = "Domanda sul rendiconto", MessageId = "x@comune.example", Body = new TextPart("plain") { Text = "?" } },
            fixture.ReceiptsDirectory, "4-domanda.eml");
        await OutboxCluster.UntilAsync(() => Task.FromResult(Directory.GetFiles(fixture.ReceiptsDirectory, "*.eml").Length == 0), "the four files read");
        await PecReceiptMessages.DropAsync(delivered, fixture.ReceiptsDirectory, "5-consegna-di-nuovo.eml");
        await OutboxCluster.UntilAsync(() => Task.FromResult(Directory.GetFiles(fixture.ReceiptsDirectory, "*.eml").Length == 0), "the repeated file read");

        var confirmed = await Outbox.GetAsync(unconfirmed.Id);
        Assert.Equal("sent", confirmed.Status);
        Assert.Equal("accepted", confirmed.Delivery);
        Assert.Contains("confirmed by the PEC receipt accettazione", confirmed.RelayResponse, StringComparison.Ordinal);
        // 23:10:05 at +01:00.
        Assert.Equal(NodaTime.Instant.FromUtc(2026, 11, 30, 22, 10, 5), confirmed.SentAt);

        var both = await Outbox.GetAsync(other.Id);
        Assert.Equal("delivered", both.Delivery);
        Assert.Equal(other.Recipient, both.DeliveryDetail);
        Assert.Equal(["accettazione", "avvenuta-consegna"], both.Receipts.Select(r => r.Kind));
        Assert.Equal(["file:2-accettazione.eml", "file:3-consegna.eml"], both.Receipts.Select(r => r.Source));
        Assert.Equal(["4-domanda.eml"], Directory.GetFiles(Path.Combine(fixture.ReceiptsDirectory, "ignored")).Select(Path.GetFileName));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(fixture.ReceiptsDirectory, "done")).Length);

        // Still one message each at the relay, whatever was read twice.
        Assert.Equal(fixture.Received.Count, fixture.Received.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(2, fixture.Received.Count(m => (m.Subject ?? string.Empty).StartsWith("Rendiconto", StringComparison.Ordinal)));
    }
}

/// <summary>PEC receipts read from the sending mailbox on a real IMAP server (dovecot); other mail there is left alone.</summary>
[Collection(BillingCollection.Name)]
public sealed class OutboxImapReceiptTests(ImapOutboxCluster fixture) : IClassFixture<ImapOutboxCluster>
{
    [Fact]
    public async Task ReceiptsInTheMailbox_AreRecordedOnce_NotDeliveredWithTheProvidersReason_OtherMailUntouched()
    {
        var enti = await HandWorkedEnti.CreateAsync(fixture.Client);
        await BillingRuns.RunAsync(fixture.Client, 2025, BillingRunMode.Final);
        await fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2025, BillingRunMode.Final)).CloseAsync(Operator);
        await OutboxCluster.UntilAsync(async () => (await fixture.ReadAsync(
            "SELECT count(*) FROM outbox_message WHERE kind = 'statement' AND status = 'sent'"))[0] == "2", "both statements written");
        var outbox = fixture.Client.GetGrain<IOutboxGrain>(IOutboxGrain.Key);
        var rows = await outbox.ListAsync("sent", null, 100);
        var alfa = Assert.Single(rows, r => r.Kind == "statement" && r.Ente == enti.Alfa);
        var beta = Assert.Single(rows, r => r.Kind == "statement" && r.Ente == enti.Beta);

        // The provider delivers its receipts to the sending mailbox, beside a reply from an ente.
        using (var provider = await fixture.Imap!.ConnectAsync())
        {
            var inbox = provider.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadWrite);
            foreach (var receipt in new[]
            {
                PecReceiptMessages.Build("accettazione", alfa.MessageId!, alfa.Subject!, alfa.Recipient!, "01/12/2026", "09:00:01"),
                PecReceiptMessages.Build("avvenuta-consegna", alfa.MessageId!, alfa.Subject!, alfa.Recipient!, "01/12/2026", "09:00:04"),
                PecReceiptMessages.Build("accettazione", beta.MessageId!, beta.Subject!, beta.Recipient!, "01/12/2026", "09:00:02"),
                PecReceiptMessages.Build("errore-consegna", beta.MessageId!, beta.Subject!, beta.Recipient!, "02/12/2026", "09:00:02",
                    error: "no-dest", errorDetail: "5.1.1 - casella inesistente"),
                new MimeMessage(new[] { new MailboxAddress("Comune", "protocollo@pec.comune.example.it") }, new[] { new MailboxAddress("CST", DovecotServer.User) },
                    "Re: il rendiconto", new TextPart("plain") { Text = "Grazie, lo abbiamo ricevuto." }),
            })
            {
                await inbox.AppendAsync(receipt);
            }

            await provider.DisconnectAsync(true);
        }

        await OutboxCluster.UntilAsync(async () => (await fixture.ReadAsync("SELECT count(*) FROM outbox_receipt"))[0] == "4", "four receipts recorded");
        var a = await outbox.GetAsync(alfa.Id);
        Assert.Equal("delivered", a.Delivery);
        Assert.Equal(NodaTime.Instant.FromUtc(2026, 12, 1, 8, 0, 4), a.DeliveryAt);
        var b = await outbox.GetAsync(beta.Id);
        Assert.Equal("not delivered", b.Delivery);
        Assert.Equal("5.1.1 - casella inesistente", b.DeliveryDetail);
        Assert.All(b.Receipts, r => Assert.StartsWith("imap:INBOX/", r.Source, StringComparison.Ordinal));

        // A second reading changes nothing; the ente's reply is still unread for the operators.
        var listed = await outbox.ListAsync("sent", enti.Beta, 10);
        Assert.Equal("not delivered", Assert.Single(listed, r => r.Kind == "statement").Delivery);
        using var operatorClient = await fixture.Imap!.ConnectAsync();
        await operatorClient.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var summaries = await operatorClient.Inbox.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.Envelope);
        var reply = Assert.Single(summaries, s => s.Envelope?.Subject == "Re: il rendiconto");
        Assert.False(reply.Flags!.Value.HasFlag(MessageFlags.Seen), "the ente's reply was marked read by the receipts reader");
        Assert.Equal(4, summaries.Count(s => s.Flags!.Value.HasFlag(MessageFlags.Seen) || s.Keywords.Contains(global::Cst.Actors.Grains.Outbox.OutboxReceiptReader.RecordedKeyword)));
        Assert.Equal(["4"], await fixture.ReadAsync("SELECT count(*) FROM outbox_receipt"));
    }
}
