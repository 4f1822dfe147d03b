namespace Cst.Actors.Grains.Outbox;

/// <summary>
/// How the outbox delivers (configuration section <c>Outbox</c>): through the CST's SMTP relay when
/// <see cref="SmtpHost"/> is set, otherwise as <c>.eml</c> files in <see cref="PickupDirectory"/> (the default, so a
/// demo needs no mail server). Credentials are read from <see cref="CredentialsFile"/> when a message is sent and are
/// never logged nor stored.
/// </summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Whether this silo sends; every silo may (rows are claimed, never sent by two).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The relay's host name; empty: write .eml files instead.</summary>
    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    /// <summary><c>StartTls</c> (default), <c>Tls</c> (TLS from the first byte, port 465) or <c>None</c> (a relay on localhost only).</summary>
    public string Security { get; set; } = "StartTls";

    /// <summary>A file whose first line is the user name and second line the password; empty: no authentication.</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>The sender's address; empty: the issuer's PEC (Issuer:Pec).</summary>
    public string? From { get; set; }

    /// <summary>Where .eml files are written when no relay is configured.</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>Seconds between two looks at the outbox.</summary>
    public double PollSeconds { get; set; } = 10;

    /// <summary>Seconds a claimed message is reserved for the silo sending it; after that another silo may send it.</summary>
    public double LeaseSeconds { get; set; } = 300;

    /// <summary>Seconds before the first retry; doubled at each further attempt, at most an hour.</summary>
    public double RetrySeconds { get; set; } = 60;

    /// <summary>Attempts before a message is marked failed (an operator can retry it).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Messages claimed at a time.</summary>
    public int Batch { get; set; } = 10;

    /// <summary>The folder .eml files go to when none is configured: beside the embedded database's default.</summary>
    public string EffectivePickupDirectory => string.IsNullOrWhiteSpace(PickupDirectory)
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
            "cst-actors", "outbox")
        : PickupDirectory;
}
