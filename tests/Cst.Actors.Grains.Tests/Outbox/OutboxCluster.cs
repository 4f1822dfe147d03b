using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cst.Actors.Platform.Tests.Cluster;
using Cst.Actors.Platform.Tests.Postgres;
using MimeKit;
using Npgsql;
using Orleans.TestingHost;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Cst.Actors.Grains.Tests.Outbox;

/// <summary>
/// A production-wired cluster whose silo sends the outbox (every 0.2 s, leases of 3 s) on the system clock, on a fresh
/// database; with a real SMTP server in the process (the SmtpServer package) when <see cref="UseSmtp"/>, else the
/// .eml fallback into a temporary folder. PEC receipts are read every 0.2 s from <see cref="ReceiptsDirectory"/>, and from a
/// real IMAP server (Debian's dovecot, started by <see cref="DovecotServer"/>) when <see cref="UseImap"/>.
/// </summary>
public abstract class OutboxCluster : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    private readonly CancellationTokenSource _smtpStop = new();
    private Task _smtp = Task.CompletedTask;

    protected abstract bool UseSmtp { get; }

    protected virtual bool UseImap => false;

    /// <summary>The IMAP server of the sending mailbox, when <see cref="UseImap"/>.</summary>
    public DovecotServer? Imap { get; private set; }

    /// <summary>Where the silo reads PEC receipts saved as .eml files.</summary>
    public string ReceiptsDirectory { get; } = Path.Combine(Path.GetTempPath(), $"cst-receipts-{Guid.NewGuid():N}");

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public string ConnectionString { get; private set; } = string.Empty;

    public int SmtpPort { get; private set; }

    public string PickupDirectory { get; } = Path.Combine(Path.GetTempPath(), $"cst-outbox-{Guid.NewGuid():N}");

    /// <summary>Every message the SMTP server accepted, in order.</summary>
    public ConcurrentQueue<MimeMessage> Received { get; } = new();

    private TaskCompletionSource? _hold;

    /// <summary>The next RCPT TO waits until <paramref name="gate"/> completes (a delivery caught mid-way).</summary>
    public void HoldNextDelivery(TaskCompletionSource gate) => _hold = gate;

    private TaskCompletionSource? TakeHold() => Interlocked.Exchange(ref _hold, null);

    /// <summary>Completed when a delivery reached the hold.</summary>
    public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private (TaskCompletionSource Gate, Func<MimeMessage, bool> Which)? _holdAnswer;

    /// <summary>
    /// The next message <paramref name="which"/> selects that the server receives whole is kept (it counts as delivered),
    /// but the server's answer to its data waits until <paramref name="gate"/> completes: a sender caught after the
    /// hand-over, before it knows. The message is <see cref="HeldMessage"/>.
    /// </summary>
    public void HoldNextAnswer(TaskCompletionSource gate, Func<MimeMessage, bool> which) => _holdAnswer = (gate, which);

    public MimeMessage? HeldMessage { get; private set; }

    private TaskCompletionSource? TakeHoldAnswer(MimeMessage message)
    {
        if (_holdAnswer is not { } hold || !hold.Which(message))
        {
            return null;
        }

        _holdAnswer = null;
        HeldMessage = message;
        return hold.Gate;
    }

    /// <summary>Completed when a message reached the answer's hold.</summary>
    public TaskCompletionSource AnswerHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        ConnectionString = await _postgres.CreateDatabaseAsync();
        if (UseSmtp)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            SmtpPort = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, SmtpPort))).Build();
            var services = new ServiceProvider();
            services.Add(new Store(this));
            services.Add(new Filter(this));
            _smtp = new SmtpServer.SmtpServer(options, services).StartAsync(_smtpStop.Token);
        }

        if (UseImap)
        {
            Imap = await DovecotServer.StartAsync();
        }

        Cluster = await DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        await _smtpStop.CancelAsync();
        await _smtp.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _postgres.DisposeAsync();
        if (Imap is not null)
        {
            await Imap.DisposeAsync();
        }

        foreach (var dir in new[] { PickupDirectory, ReceiptsDirectory }.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public async Task<TestCluster> DeployAsync()
    {
        var builder = CstTestCluster.Create(ConnectionString, silos: 1, clusterId: "cst-outbox-" + Guid.NewGuid().ToString("N")[..6]);
        builder.Properties["Outbox:Enabled"] = "true";
        builder.Properties["Outbox:PollSeconds"] = "0.2";
        builder.Properties["Outbox:LeaseSeconds"] = "3";
        builder.Properties["Outbox:RetrySeconds"] = "0.5";
        builder.Properties["Outbox:PickupDirectory"] = PickupDirectory;
        builder.Properties["Outbox:Receipts:Directory"] = ReceiptsDirectory;
        builder.Properties["Outbox:Receipts:PollSeconds"] = "0.2";
        if (Imap is not null)
        {
            builder.Properties["Outbox:Receipts:Host"] = "127.0.0.1";
            builder.Properties["Outbox:Receipts:Port"] = Imap.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            builder.Properties["Outbox:Receipts:Security"] = "None";
            builder.Properties["Outbox:Receipts:User"] = DovecotServer.User;
            builder.Properties["Outbox:Receipts:PasswordFile"] = Imap.PasswordFile;
        }
        if (UseSmtp)
        {
            builder.Properties["Outbox:SmtpHost"] = "127.0.0.1";
            builder.Properties["Outbox:SmtpPort"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            builder.Properties["Outbox:Security"] = "None";
        }

        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>Kills the silo (no graceful stop) and starts the cluster again on the same database.</summary>
    public async Task KillAndRestartAsync(Func<Task> whileDown)
    {
        await Cluster.KillSiloAsync(Cluster.Primary!);
        await Cluster.DisposeAsync();
        await whileDown();
        Cluster = await DeployAsync();
    }

    public Task<IReadOnlyList<string>> ReadAsync(string sql, params object[] values) =>
        Cst.Actors.Platform.Tests.Postgres.PostgresRows.ReadAsync(ConnectionString, sql, values);

    /// <summary>Whether <paramref name="done"/> came to hold within <paramref name="seconds"/> of real time.</summary>
    public static async Task<bool> WithinAsync(Func<Task<bool>> done, int seconds)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await done())
        {
            if (elapsed.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    /// <summary>Waits, within a real-time bound, until <paramref name="done"/> holds.</summary>
    public static async Task UntilAsync(Func<Task<bool>> done, string expected, int seconds = 60)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await done())
        {
            if (elapsed.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                Assert.Fail($"expected {expected} within {seconds} s");
            }

            await Task.Delay(100);
        }
    }

    private sealed class Store(OutboxCluster owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            owner.Received.Enqueue(message);
            if (owner.TakeHoldAnswer(message) is { } hold)
            {
                owner.AnswerHeld.TrySetResult();
                await hold.Task;
            }

            return SmtpResponse.Ok;
        }
    }

    private sealed class Filter(OutboxCluster owner) : MailboxFilter
    {
        public override async Task<bool> CanDeliverToAsync(ISessionContext context, SmtpServer.Mail.IMailbox to, SmtpServer.Mail.IMailbox from, CancellationToken cancellationToken)
        {
            if (owner.TakeHold() is { } hold)
            {
                owner.Held.TrySetResult();
                await hold.Task;
            }

            return true;
        }
    }
}

public sealed class SmtpOutboxCluster : OutboxCluster
{
    protected override bool UseSmtp => true;
}

public sealed class EmlOutboxCluster : OutboxCluster
{
    protected override bool UseSmtp => false;
}

/// <summary>The .eml fallback for sending, and the receipts read from a real IMAP server too.</summary>
public sealed class ImapOutboxCluster : OutboxCluster
{
    protected override bool UseSmtp => false;

    protected override bool UseImap => true;
}
