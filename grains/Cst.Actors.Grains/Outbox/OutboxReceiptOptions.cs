namespace Cst.Actors.Grains.Outbox;

/// <summary>
/// Where the PEC receipts of the outbox's messages are read (configuration section <c>Outbox:Receipts</c>): the CST's
/// sending PEC mailbox over IMAP when <see cref="Host"/> is set, and/or <c>.eml</c> files dropped in
/// <see cref="Directory"/>. The password is read from <see cref="PasswordFile"/> at each poll, never logged nor stored.
/// </summary>
public sealed class OutboxReceiptOptions
{
    public const string Section = "Outbox:Receipts";

    /// <summary>The IMAP server of the mailbox the statements are sent from; empty: no IMAP.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 993;

    /// <summary><c>Tls</c> (default, port 993), <c>StartTls</c> (port 143) or <c>None</c> (a server on localhost only).</summary>
    public string Security { get; set; } = "Tls";

    /// <summary>The IMAP user name, usually the mailbox's address.</summary>
    public string? User { get; set; }

    /// <summary>A file holding the IMAP password on its first line.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>The IMAP folder the receipts arrive in.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>
    /// A folder where receipts saved as .eml files are read; each is then moved to <c>done/</c> (recorded, or already
    /// recorded) or <c>ignored/</c> (not a receipt, or about a message the outbox did not send). Empty: none.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>Seconds between two readings.</summary>
    public double PollSeconds { get; set; } = 60;
}
