using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Outbox;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Grains.Infrastructure;
using Cst.Actors.Grains.Tests.Billing;
using MimeKit;
using NodaTime;
using Npgsql;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Outbox;

/// <summary>
/// Closed statements reach their payers through a real SMTP server, one message each with the PDF attached, and
/// nothing twice when the sending silo is killed mid-delivery and the cluster restarted. Hand-worked enti: Alfa pays
/// 783.13, Beta 2,261.00 (its own 1,500.00 and Gamma's 761.00).
/// </summary>
[Collection(BillingCollection.Name)]
public sealed class OutboxDeliveryTests(SmtpOutboxCluster fixture) : IClassFixture<SmtpOutboxCluster>
{
    [Fact]
    public async Task ClosedStatements_SiloKilledMidDelivery_EachPayerGetsOneMessageWithItsPdf()
    {
        var enti = await HandWorkedEnti.CreateAsync(fixture.Client);
        await BillingRuns.RunAsync(fixture.Client, 2025, BillingRunMode.Final);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.HoldNextDelivery(gate);

        await fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2025, BillingRunMode.Final)).CloseAsync(Operator);

        // Queued once each, in the close's transaction; the first delivery is caught between RCPT TO and DATA.
        Assert.Equal([$"statement:2025/1/{enti.Alfa}", $"statement:2025/1/{enti.Beta}"],
            await fixture.ReadAsync("SELECT source_key FROM outbox_message WHERE kind = 'statement' ORDER BY id"));
        await fixture.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await fixture.KillAndRestartAsync(() =>
        {
            gate.SetResult();
            return Task.CompletedTask;
        });

        await OutboxCluster.UntilAsync(async () => (await fixture.ReadAsync(
            "SELECT count(*) FROM outbox_message WHERE kind = 'statement' AND status = 'sent'"))[0] == "2", "both statements sent after the restart");

        var statements = fixture.Received.Where(m => (m.Subject ?? string.Empty).StartsWith("Rendiconto", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, statements.Count);
        foreach (var (payer, total) in new[] { (enti.Alfa, "783,13"), (enti.Beta, "2.261,00") })
        {
            var message = Assert.Single(statements, m => m.Attachments.OfType<MimePart>().Any(a => (a.FileName ?? string.Empty).EndsWith($"-{payer}.pdf", StringComparison.Ordinal)));
            Assert.Equal("protocollo@pec.comune.example.it", message.To.Mailboxes.Single().Address);
            Assert.Contains($"EUR {total}", message.TextBody ?? string.Empty, StringComparison.Ordinal);
            var pdf = message.Attachments.OfType<MimePart>().Single();
            Assert.Equal("application/pdf", pdf.ContentType.MimeType);
            using var content = new MemoryStream();
            await pdf.Content!.DecodeToAsync(content);
            Assert.Equal("%PDF"u8.ToArray(), content.ToArray()[..4]);
        }

        // Nothing delivered twice, statements or notices; the evidence of each delivery is kept.
        Assert.Equal(fixture.Received.Count, fixture.Received.Select(m => m.MessageId).Distinct().Count());
        var evidence = await fixture.Client.GetGrain<IOutboxGrain>(IOutboxGrain.Key).ListAsync("sent", null, 100);
        foreach (var sent in evidence.Where(e => e.Kind == "statement"))
        {
            Assert.Equal("smtp", sent.Channel);
            Assert.NotNull(sent.SentAt);
            Assert.False(string.IsNullOrEmpty(sent.RelayResponse), $"no relay answer recorded for message {sent.Id}");
            Assert.Single(fixture.Received, m => m.MessageId == sent.MessageId);
        }

        // A sent message is not sent again by a retry.
        var first = evidence.First(e => e.Kind == "statement");
        await Assert.ThrowsAsync<Contracts.Errors.CstDomainError>(() =>
            fixture.Client.GetGrain<IOutboxGrain>(IOutboxGrain.Key).RetryAsync(first.Id, Operator));
    }
}

/// <summary>With no relay configured the outbox writes .eml files: statements with their PDF, notices in plain Italian.</summary>
[Collection(BillingCollection.Name)]
public sealed class OutboxEmlTests(EmlOutboxCluster fixture) : IClassFixture<EmlOutboxCluster>
{
    [Fact]
    public async Task NoRelay_StatementAndNotice_AreWrittenAsEmlFilesOnce()
    {
        var enti = await HandWorkedEnti.CreateAsync(fixture.Client);
        await BillingRuns.RunAsync(fixture.Client, 2025, BillingRunMode.Final);
        await fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2025, BillingRunMode.Final)).CloseAsync(Operator);

        // A mailbox's cessation notice, recorded twice (a reminder tick repeated): one notice, queued once.
        await using var data = NpgsqlDataSource.Create(fixture.ConnectionString);
        var log = new PostgresNoticeLog(data);
        var notice = new Notice(enti.Alfa, "ufficio@pec.comune.alfa.it", "Cessation", new LocalDate(2027, 1, 1), "mailbox ceases");
        Assert.True(await log.RecordAsync(notice));
        Assert.False(await log.RecordAsync(notice));

        // The two statements and that notice, whatever other notices of Alfa's objects are written meanwhile.
        const string Expected = "SELECT count(*) FROM outbox_message WHERE status = 'sent' AND (kind = 'statement' OR notice_id IN (SELECT id FROM notice WHERE object = 'ufficio@pec.comune.alfa.it'))";
        if (!await OutboxCluster.WithinAsync(async () => (await fixture.ReadAsync(Expected))[0] == "3", 120))
        {
            Assert.Fail("expected two statements and the cessation notice written as .eml within 120 s; the outbox: "
                + string.Join("; ", await fixture.ReadAsync("SELECT id || ' ' || kind || ' ' || ente || ' ' || status || ' ' || coalesce(last_error, '') FROM outbox_message ORDER BY id")));
        }

        var files = Directory.GetFiles(fixture.PickupDirectory, "*.eml");
        var messages = files.Select(f => MimeMessage.Load(f)).ToList();
        var beta = Assert.Single(messages, m => (m.Subject ?? string.Empty).StartsWith("Rendiconto", StringComparison.Ordinal)
            && m.Attachments.OfType<MimePart>().Any(a => (a.FileName ?? string.Empty).EndsWith($"-{enti.Beta}.pdf", StringComparison.Ordinal)));
        Assert.Contains("EUR 2.261,00", beta.TextBody ?? string.Empty, StringComparison.Ordinal);
        var cessation = Assert.Single(messages, m => (m.Subject ?? string.Empty).Contains("ufficio@pec.comune.alfa.it", StringComparison.Ordinal));
        Assert.Contains("cessa il 01/01/2027", cessation.TextBody ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains("salvate i messaggi e le ricevute di accettazione e di consegna", cessation.TextBody ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(["1"], await fixture.ReadAsync("SELECT count(*) FROM outbox_message WHERE source_key LIKE 'notice:%' AND ente = $1 AND kind = 'notice' AND notice_id IN (SELECT id FROM notice WHERE object = 'ufficio@pec.comune.alfa.it')", enti.Alfa));
        var row = await fixture.Client.GetGrain<IOutboxGrain>(IOutboxGrain.Key).ListAsync("sent", enti.Beta, 10);
        Assert.Contains(row, r => r.Kind == "statement" && r.Channel == "eml" && r.EmlPath is { } p && File.Exists(p));
    }
}
