using System.Net.Sockets;
using Cst.Actors.Connection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;

namespace Cst.Actors.Admin.Infrastructure;

/// <summary>
/// The console's Orleans client: the same configuration as the silo (<c>CST_</c> environment variables, the
/// connection string or the embedded PostgreSQL's password file), gateways from the membership table.
/// </summary>
public sealed class AdminConnection : IAsyncDisposable
{
    /// <summary>How to start a silo, for the one-line message when none is reachable.</summary>
    public const string StartHint = "start one with: dotnet run --project silo/Cst.Actors.Silo";

    private readonly IHost _host;

    private AdminConnection(IHost host, string operatorName)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
        Operator = operatorName;
    }

    public IClusterClient Client { get; }

    /// <summary>Who the audit names (<see cref="OperatorIdentity"/>).</summary>
    public string Operator { get; }

    /// <summary>Reads the configuration: <c>CST_</c> environment variables, then the given overrides (from the command line).</summary>
    public static IConfiguration ReadConfiguration(IReadOnlyDictionary<string, string?> overrides) =>
        new ConfigurationBuilder()
            .AddEnvironmentVariables(CstConnectionSettings.EnvironmentPrefix)
            .AddInMemoryCollection(overrides)
            .Build();

    /// <summary>Connects, or throws <see cref="CstConnectionException"/> with one plain sentence.</summary>
    public static async Task<AdminConnection> ConnectAsync(IConfiguration configuration, TimeSpan timeout, IReadOnlyList<string>? args = null)
    {
        var settings = CstConnectionSettings.ReadClient(configuration);
        var operatorName = OperatorIdentity.Resolve(settings, configuration, args ?? []);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "cst" });
        builder.UseOrleansClient(client =>
        {
            client.UseCstCluster(settings);

            // Gateway connections lost and found again, for the console's message line (see AdminSession).
            client.Services.AddSingleton<ClusterStatus>();
            client.Services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<ClusterStatus>());
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            // A call caught on a silo that died fails after this, and the call policy retries it elsewhere.
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        });
        var host = builder.Build();
        Timings.Mark("built the Orleans client's host");
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await host.StartAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            host.Dispose();
            var why = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : FirstLine(e.Message);
            var gateway = await ListeningGatewayAsync(settings, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            if (gateway is not null && settings.Tls is null && await SpeaksTlsAsync(gateway, TimeSpan.FromSeconds(10)).ConfigureAwait(false))
            {
                // The gateway refused a client without a certificate during the handshake: not slow, not down.
                throw new CstConnectionException(
                    $"the cluster requires a client certificate (mutual TLS on its gateway {gateway}) and none was given: give --cert, --key and --ca "
                    + "of a certificate issued by its CA (cst-silo issue-operator-cert), or run cst on the silo's host as its user", e)
                { SiloMayBeDown = false };
            }

            if (gateway is not null)
            {
                // A silo's gateway takes connections, yet the cluster did not answer: slow (an overloaded machine), not down.
                throw new CstConnectionException(
                    $"the cluster is slow to answer: the gateway {gateway} of a live silo accepts connections, but the cluster did not answer ({why}); "
                    + "the machine may be overloaded: try again", e)
                { SiloMayBeDown = false };
            }

            var where = settings.Embedded ? "the embedded PostgreSQL on 127.0.0.1" : "the configured database";
            throw new CstConnectionException($"no silo is reachable through {where} ({why})", e);
        }

        return new AdminConnection(host, operatorName);
    }

    /// <summary>The message for a failed connection, with how to start a silo when none running may be why.</summary>
    public static string Explain(CstConnectionException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.SiloMayBeDown ? $"{e.Message}; {StartHint}" : e.Message;
    }

    /// <summary>
    /// The gateway (address:port) of a silo the membership table lists as active that accepts a TCP connection, or
    /// null: none listed, none listening, or the table cannot be read.
    /// </summary>
    public static async Task<string?> ListeningGatewayAsync(CstClientSettings settings, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var cts = new CancellationTokenSource(wait);
        try
        {
            var gateways = new List<(string Address, int Port)>();
            await using (var connection = new NpgsqlConnection(settings.ConnectionString))
            {
                await connection.OpenAsync(cts.Token).ConfigureAwait(false);
                await using var command = new NpgsqlCommand(
                    "SELECT address, proxy_port FROM orleans_membership WHERE deployment_id = $1 AND status = 3 AND proxy_port > 0", connection);
                command.Parameters.Add(new NpgsqlParameter { Value = settings.ClusterId });
                await using var reader = await command.ExecuteReaderAsync(cts.Token).ConfigureAwait(false);
                while (await reader.ReadAsync(cts.Token).ConfigureAwait(false))
                {
                    gateways.Add((reader.GetString(0), reader.GetInt32(1)));
                }
            }

            foreach (var (address, port) in gateways)
            {
                try
                {
                    using var tcp = new TcpClient();
                    await tcp.ConnectAsync(address, port, cts.Token).ConfigureAwait(false);
                    return FormattableString.Invariant($"{address}:{port}");
                }
                catch (SocketException)
                {
                    // Not listening (a silo killed before the table says so): try the next one.
                }
            }
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or OperationCanceledException or IOException or InvalidOperationException)
        {
            // Nothing more can be learnt: the plain "no silo is reachable" stands.
        }

        return null;
    }

    /// <summary>Whether the gateway at <paramref name="gateway"/> (address:port) answers a TLS handshake with a certificate.</summary>
    public static async Task<bool> SpeaksTlsAsync(string gateway, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var colon = gateway.LastIndexOf(':');
        using var cts = new CancellationTokenSource(wait);
        var presented = false;
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(gateway[..colon], int.Parse(gateway[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), cts.Token).ConfigureAwait(false);
            await using var tls = new System.Net.Security.SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
            {
                // Only noting that the server is a TLS one; nothing is sent over this connection.
                presented = certificate is not null;
                return false;
            });
            await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions { TargetHost = "cst-actors" }, cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException or FormatException)
        {
            // A refused certificate ends the handshake here; any other failure leaves "presented" as it was.
        }

        return presented;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _host.StopAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or OrleansException or ObjectDisposedException)
        {
            // Leaving: a cluster that went away meanwhile has nothing to be told.
        }

        _host.Dispose();
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 160 ? line[..160] + "..." : line;
    }
}
