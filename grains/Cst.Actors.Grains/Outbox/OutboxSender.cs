using System.Text.RegularExpressions;
using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Documents;
using Cst.Actors.Domain.Billing;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Cst.Actors.Grains.Outbox;

/// <summary>
/// The silo's sender of the outbox: while the silo is active it claims the due messages (never one another silo
/// holds), renders each (the statement's PDF through <see cref="IStatementDocumentGrain"/>, a notice's Italian text),
/// delivers it through the SMTP relay (MailKit) or as an .eml file, and records the evidence. A failure is retried
/// later with a doubling delay; a silo stopped or killed mid-delivery leaves the message to be claimed again once its
/// lease has run out, with the same Message-ID.
/// </summary>
public sealed partial class OutboxSender(
    OutboxStore store,
    IGrainFactory grains,
    IOptions<OutboxOptions> options,
    IOptions<IssuerSettings> issuer,
    ILocalSiloDetails silo,
    ILogger<OutboxSender> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    private OutboxOptions Options => options.Value;

    private string Me => silo.SiloAddress.ToString();

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(OutboxSender), ServiceLifecycleStage.Active, _ =>
        {
            if (Options.Enabled)
            {
                logger.LogInformation("Outbox: sending {How} every {Seconds} s", Options.SmtpHost is { Length: > 0 } host
                    ? $"through {host}:{Options.SmtpPort} ({Options.Security})" : $"as .eml files to {Options.EffectivePickupDirectory}", Options.PollSeconds);
                _loop = Task.Run(() => LoopAsync(_stopping.Token));
            }

            return Task.CompletedTask;
        }, async _ =>
        {
            await _stopping.CancelAsync();
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    /// <summary>One round: claims and sends what is due; returns how many were claimed.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var claimed = await store.ClaimAsync(Me, TimeSpan.FromSeconds(Options.LeaseSeconds), Math.Max(1, Options.Batch), IdDomain());
        foreach (var message in claimed)
        {
            if (ct.IsCancellationRequested)
            {
                await store.ReleaseAsync(message.Id, Me);
                continue;
            }

            await SendAsync(message, ct);
        }

        return claimed.Count;
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                while (await SendDueAsync(ct) > 0 && !ct.IsCancellationRequested)
                {
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "Outbox: a round failed; next round in {Seconds} s", Options.PollSeconds);
            }

            await Task.Delay(TimeSpan.FromSeconds(Math.Max(0.1, Options.PollSeconds)), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task SendAsync(ClaimedMessage claimed, CancellationToken ct)
    {
        var handOver = new HandOver();
        try
        {
            var (message, recipient, attachment, note) = await ComposeAsync(claimed);
            var evidence = (string.IsNullOrWhiteSpace(Options.SmtpHost)
                ? await WriteEmlAsync(claimed, message, recipient, attachment, ct)
                : await RelayAsync(claimed, message, recipient, attachment, note, handOver, ct)) with { Note = note };
            if (!await store.SentAsync(claimed.Id, Me, evidence))
            {
                logger.LogWarning("Outbox: message {Id} was delivered but its claim had run out; another silo may have sent it too", claimed.Id);
            }
            else
            {
                logger.LogInformation("Outbox: message {Id} ({Kind} for {Ente}) sent to {Recipient} via {Channel}", claimed.Id, claimed.Kind,
                    claimed.Ente, recipient, evidence.Channel);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && !handOver.Started)
        {
            // The silo is stopping: the message is due again for whoever sends next.
            await store.ReleaseAsync(claimed.Id, Me);
        }
        catch (Exception e)
        {
            var delay = TimeSpan.FromSeconds(Math.Min(3600, Options.RetrySeconds * Math.Pow(2, Math.Max(0, claimed.Attempts - 1))));
            // Once the data went to the relay, only the relay's own refusal proves nothing was delivered; anything else
            // (the connection dropped, the silo stopping) may have delivered it, so it is not sent again by itself.
            var uncertain = handOver.Started && e is not SmtpCommandException;
            var error = e is SmtpCommandException smtp ? $"the relay answered {(int)smtp.StatusCode}: {smtp.Message}"
                : uncertain ? $"the connection to the relay ended after the message was handed over ({e.Message}), so it may have been delivered: "
                    + $"it is not sent again by itself. Its PEC acceptance receipt records it as sent; without one, look for Message-ID {claimed.MessageId} "
                    + $"in the relay's log, and only if it is not there: cst outbox retry {claimed.Id}"
                : e.Message;
            logger.LogWarning("Outbox: message {Id} ({Kind} for {Ente}) not sent, attempt {Attempt}: {Error}", claimed.Id, claimed.Kind,
                claimed.Ente, claimed.Attempts, error);
            await store.FailedAsync(claimed.Id, Me, error, delay, Math.Max(1, Options.MaxAttempts), uncertain);
        }
    }

    private async Task<(MimeMessage Message, string Recipient, string? Attachment, string? Note)> ComposeAsync(ClaimedMessage claimed)
    {
        var ente = await grains.GetGrain<IEnteGrain>(claimed.Ente).GetAsync();
        var recipient = ente.Registration.ReferentePec ?? ente.Registration.ReferenteEmail;
        if (string.IsNullOrWhiteSpace(recipient))
        {
            throw new InvalidOperationException($"ente {claimed.Ente} ({ente.Registration.Name}) has no referente PEC or e-mail to send to");
        }

        var from = string.IsNullOrWhiteSpace(Options.From) ? issuer.Value.Pec : Options.From;
        if (claimed.Kind == "statement")
        {
            var file = await grains.GetGrain<IStatementDocumentGrain>(BillingRunKey.For(claimed.BillingYear!.Value, BillingRunMode.Final))
                .RenderAsync(claimed.Revision, claimed.Ente);
            return (OutboxMail.Statement(issuer.Value, from, recipient, claimed.MessageId, file), recipient, file.FileName,
                file.PayerCodiceFiscale is null ? OutboxMail.MissingCodiceFiscaleNote(claimed.Ente) : null);
        }

        var notice = await store.NoticeAsync(claimed.NoticeId!.Value)
            ?? throw new InvalidOperationException($"notice {claimed.NoticeId} is not in the notice table");
        return (OutboxMail.Notice(issuer.Value, from, recipient, claimed.MessageId, notice, ente.Registration.Name), recipient, null, null);
    }

    private async Task<DeliveryEvidence> RelayAsync(ClaimedMessage claimed, MimeMessage message, string recipient, string? attachment,
        string? note, HandOver handOver, CancellationToken ct)
    {
        using var client = new HandOverClient(handOver, () => store.HandingOverAsync(claimed.Id, Me, recipient, message.Subject ?? string.Empty, attachment, note));
        var security = Options.Security.ToUpperInvariant() switch
        {
            "TLS" or "SSL" or "SSLONCONNECT" => SecureSocketOptions.SslOnConnect,
            "NONE" => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(Options.SmtpHost!, Options.SmtpPort, security, ct);
        if (!string.IsNullOrWhiteSpace(Options.CredentialsFile))
        {
            // Read at each use, never logged: the first line is the user, the second the password.
            var lines = await File.ReadAllLinesAsync(Options.CredentialsFile, ct);
            if (lines.Length < 2)
            {
                throw new InvalidOperationException($"the credentials file {Options.CredentialsFile} must hold the user on its first line and the password on its second");
            }

            await client.AuthenticateAsync(lines[0].Trim(), lines[1], ct);
        }

        var response = await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
        var id = RelayId().Match(response ?? string.Empty);
        return new DeliveryEvidence("smtp", recipient, message.Subject ?? string.Empty, attachment, response, id.Success ? id.Groups["id"].Value : null, null);
    }

    private async Task<DeliveryEvidence> WriteEmlAsync(ClaimedMessage claimed, MimeMessage message, string recipient, string? attachment, CancellationToken ct)
    {
        var dir = Options.EffectivePickupDirectory;
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{claimed.Id:000000}-{claimed.Kind}-{Safe(claimed.Ente)}.eml");
        // Written beside and renamed: a reader never sees half a message.
        await message.WriteToAsync(path + ".part", ct);
        File.Move(path + ".part", path, overwrite: true);
        return new DeliveryEvidence("eml", recipient, message.Subject ?? string.Empty, attachment, $"scritto in {path}", null, path);
    }

    /// <summary>Whether the message's data has started to go to the relay.</summary>
    private sealed class HandOver
    {
        public bool Started { get; set; }
    }

    /// <summary>
    /// An SMTP client that records the hand-over once the relay accepted the recipient, before DATA: from there a silo
    /// that stops may leave the message delivered and not recorded, so it must not be sent again by itself.
    /// </summary>
    private sealed class HandOverClient(HandOver handOver, Func<Task<bool>> record) : SmtpClient
    {
        protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
        {
            base.OnRecipientAccepted(message, mailbox, response);
            if (handOver.Started)
            {
                return;
            }

            // MailKit's hook is synchronous; the row must say so before the first byte of data leaves.
            if (!record().GetAwaiter().GetResult())
            {
                throw new InvalidOperationException("the claim on the message ran out before it was handed to the relay: another silo sends it");
            }

            handOver.Started = true;
        }
    }

    private string IdDomain()
    {
        var pec = issuer.Value.Pec;
        var at = pec?.IndexOf('@', StringComparison.Ordinal) ?? -1;
        return at > 0 ? pec![(at + 1)..] : "cst.invalid";
    }

    private static string Safe(string text) => new([.. text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);

    [GeneratedRegex(@"(?:queued as|id[=:])\s*(?<id>[^\s;,]+)", RegexOptions.IgnoreCase)]
    private static partial Regex RelayId();
}
