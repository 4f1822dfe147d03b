using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Cst.Actors.Grains.Tests.Outbox;

/// <summary>
/// A real IMAP server for the receipts tests: Debian's dovecot (package dovecot-imapd, installed by .ci/run) run in the
/// foreground with a configuration of its own in a temporary folder, on 127.0.0.1 and a free port, one mailbox (the
/// CST's sending PEC) with a plain password, mail stored as the system user <c>mail</c>. Stopped and removed at the end.
/// </summary>
public sealed class DovecotServer : IAsyncDisposable
{
    public const string User = "protocollo@pec.provincia.padova.it";

    private const string Password = "ricevute-di-prova";
    private const string Binary = "/usr/sbin/dovecot";

    private readonly Process _process;
    private readonly string _directory;

    private DovecotServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The file holding the password on its first line (Outbox:Receipts:PasswordFile).</summary>
    public string PasswordFile => Path.Combine(_directory, "password");

    public static async Task<DovecotServer> StartAsync()
    {
        Assert.True(File.Exists(Binary), $"the IMAP tests need Debian's dovecot ({Binary}): apt-get install dovecot-imapd (.ci/run does)");
        var directory = Path.Combine(Path.GetTempPath(), $"cst-dovecot-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(directory, "home"));
        // The mail is stored as the user mail (uid 8), which dovecot accepts, never as root.
        Directory.CreateDirectory(Path.Combine(directory, "home", User));
        await RunAsync("chown", "-R", "8:8", Path.Combine(directory, "home"));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await File.WriteAllTextAsync(Path.Combine(directory, "users"), $"{User}:{{PLAIN}}{Password}\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "password"), Password + "\n");
        var config = Path.Combine(directory, "dovecot.conf");
        await File.WriteAllTextAsync(config,
            $$"""
            protocols = imap
            listen = 127.0.0.1
            base_dir = {{directory}}/run
            state_dir = {{directory}}/state
            log_path = {{directory}}/dovecot.log
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain
            first_valid_uid = 1
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{directory}}/users
            }
            userdb {
              driver = static
              args = uid=8 gid=8 home={{directory}}/home/%u
            }
            mail_location = maildir:~/Maildir
            service imap-login {
              inet_listener imap {
                port = {{port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            """);
        var process = Process.Start(new ProcessStartInfo(Binary, ["-F", "-c", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("dovecot did not start");
        var server = new DovecotServer(process, directory, port);
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = await server.ConnectAsync();
                return server;
            }
            catch (Exception e) when (e is SocketException or IOException or ImapProtocolException or AuthenticationException)
            {
                if (process.HasExited || elapsed.Elapsed > TimeSpan.FromSeconds(30))
                {
                    var log = File.Exists(Path.Combine(directory, "dovecot.log")) ? await File.ReadAllTextAsync(Path.Combine(directory, "dovecot.log")) : string.Empty;
                    Assert.Fail($"expected dovecot to answer on 127.0.0.1:{port} within 30 s ({e.Message}); {log}");
                }

                await Task.Delay(100);
            }
        }
    }

    /// <summary>A client logged in to the mailbox, as the PEC provider's delivery or the operator's mail program.</summary>
    public async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(User, Password);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)) ?? throw new InvalidOperationException($"{program} did not start");
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}");
    }
}
