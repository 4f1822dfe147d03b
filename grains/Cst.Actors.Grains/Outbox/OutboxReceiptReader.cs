using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Cst.Actors.Grains.Outbox;

/// <summary>
/// Reads the PEC receipts of the outbox's messages while the silo is active: from the sending mailbox over IMAP
/// (MailKit) and/or from .eml files dropped in a folder, and records each against its message (<see cref="OutboxStore"/>),
/// once whatever is read twice. Every silo may read: a receipt is recorded once by its own Message-ID.
/// </summary>
public sealed class OutboxReceiptReader(
    OutboxStore store,
    IOptions<OutboxOptions> outbox,
    IOptions<OutboxReceiptOptions> options,
    ILogger<OutboxReceiptReader> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The keyword set on a receipt once recorded, where the server allows keywords (else \Seen).</summary>
    public const string RecordedKeyword = "$CstRecorded";

    /// <summary>The part every Message-ID the outbox gives starts with (OutboxStore.ClaimAsync).</summary>
    private const string OutboxIdPrefix = "cst-outbox-";

    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    private OutboxReceiptOptions Options => options.Value;

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(OutboxReceiptReader), ServiceLifecycleStage.Active, _ =>
        {
            if (outbox.Value.Enabled && (Has(Options.Host) || Has(Options.Directory)))
            {
                logger.LogInformation("Outbox: reading PEC receipts {Where} every {Seconds} s",
                    string.Join(" and ", new[] { Has(Options.Host) ? $"from imap://{Options.Host}:{Options.Port}/{Options.Folder} ({Options.Security})" : null,
                        Has(Options.Directory) ? $"from the .eml files in {Options.Directory}" : null }.Where(w => w is not null)), Options.PollSeconds);
                _loop = Task.Run(() => LoopAsync(_stopping.Token));
            }

            return Task.CompletedTask;
        }, async _ =>
        {
            await _stopping.CancelAsync();
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        });
    }

    /// <summary>One reading of the folder and the mailbox; returns how many receipts were recorded.</summary>
    public async Task<int> ReadOnceAsync(CancellationToken ct)
    {
        var recorded = 0;
        if (Has(Options.Directory))
        {
            recorded += await ReadDirectoryAsync(Options.Directory!, ct);
        }

        if (Has(Options.Host))
        {
            recorded += await ReadImapAsync(ct);
        }

        return recorded;
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ReadOnceAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning("Outbox: reading the PEC receipts failed ({Error}); next reading in {Seconds} s", e.Message, Options.PollSeconds);
            }

            await Task.Delay(TimeSpan.FromSeconds(Math.Max(0.1, Options.PollSeconds)), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<int> ReadDirectoryAsync(string directory, CancellationToken ct)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var recorded = 0;
        foreach (var path in Directory.GetFiles(directory, "*.eml").Order(StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            string outcome;
            try
            {
                var message = await MimeMessage.LoadAsync(path, ct);
                outcome = await RecordAsync(message, "file:" + Path.GetFileName(path));
            }
            catch (FormatException e)
            {
                outcome = $"ignored: not a mail message ({e.Message})";
            }

            // Recorded first, moved after: a file read again after a crash is recorded once (by the receipt's Message-ID).
            var done = outcome.StartsWith("ignored", StringComparison.Ordinal) ? "ignored" : "done";
            Directory.CreateDirectory(Path.Combine(directory, done));
            File.Move(path, Path.Combine(directory, done, Path.GetFileName(path)), overwrite: true);
            recorded += outcome == "recorded" ? 1 : 0;
        }

        return recorded;
    }

    private async Task<int> ReadImapAsync(CancellationToken ct)
    {
        using var client = new ImapClient();
        var security = Options.Security.ToUpperInvariant() switch
        {
            "NONE" => SecureSocketOptions.None,
            "STARTTLS" => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.SslOnConnect,
        };
        await client.ConnectAsync(Options.Host!, Options.Port, security, ct);
        if (Has(Options.User))
        {
            if (!Has(Options.PasswordFile))
            {
                throw new InvalidOperationException($"{OutboxReceiptOptions.Section}:User is set but {OutboxReceiptOptions.Section}:PasswordFile is not");
            }

            // Read at each use, never logged.
            var password = (await File.ReadAllLinesAsync(Options.PasswordFile!, ct)).FirstOrDefault() ?? string.Empty;
            await client.AuthenticateAsync(Options.User!, password, ct);
        }

        var folder = await client.GetFolderAsync(Options.Folder, ct);
        await folder.OpenAsync(FolderAccess.ReadWrite, ct);
        var keywords = folder.PermanentFlags.HasFlag(MessageFlags.UserDefined);
        var query = SearchQuery.HeaderContains("X-Riferimento-Message-ID", OutboxIdPrefix)
            .And(keywords ? SearchQuery.NotKeywords([RecordedKeyword]) : SearchQuery.NotSeen);
        var recorded = 0;
        foreach (var uid in await folder.SearchAsync(query, ct))
        {
            var message = await folder.GetMessageAsync(uid, ct);
            var outcome = await RecordAsync(message, $"imap:{Options.Folder}/{folder.UidValidity}/{uid.Id}");
            if (keywords)
            {
                await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Keywords = { RecordedKeyword }, Silent = true }, ct);
            }
            else
            {
                await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Silent = true }, ct);
            }

            recorded += outcome == "recorded" ? 1 : 0;
        }

        await client.DisconnectAsync(true, ct);
        return recorded;
    }

    /// <summary>Records the receipt in <paramref name="message"/>; says what became of it.</summary>
    private async Task<string> RecordAsync(MimeMessage message, string source)
    {
        if (PecReceipt.Parse(message) is not { } receipt)
        {
            logger.LogInformation("Outbox: {Source} is not a PEC receipt (no X-Ricevuta of the rules, or no X-Riferimento-Message-ID): ignored", source);
            return "ignored: not a PEC receipt";
        }

        var (outcome, id) = await store.RecordReceiptAsync(receipt, source);
        switch (outcome)
        {
            case ReceiptOutcome.Recorded:
                logger.LogInformation("Outbox: message {Id}: PEC receipt {Kind} of {At} recorded ({Source})", id, receipt.Kind, receipt.CertifiedAt, source);
                return "recorded";
            case ReceiptOutcome.AlreadyRecorded:
                return "already recorded";
            default:
                logger.LogWarning("Outbox: PEC receipt {Kind} ({Source}) refers to Message-ID {MessageId}, which the outbox did not send: ignored",
                    receipt.Kind, source, receipt.ReferencedMessageId);
                return "ignored: not a message of the outbox";
        }
    }

    private static bool Has(string? text) => !string.IsNullOrWhiteSpace(text);
}
