using Cst.Actors.Connection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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

    private AdminConnection(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    /// <summary>Reads the configuration: <c>CST_</c> environment variables, then the given overrides (from the command line).</summary>
    public static IConfiguration ReadConfiguration(IReadOnlyDictionary<string, string?> overrides) =>
        new ConfigurationBuilder()
            .AddEnvironmentVariables(CstConnectionSettings.EnvironmentPrefix)
            .AddInMemoryCollection(overrides)
            .Build();

    /// <summary>Connects, or throws <see cref="CstConnectionException"/> with one plain sentence.</summary>
    public static async Task<AdminConnection> ConnectAsync(IConfiguration configuration, TimeSpan timeout)
    {
        var settings = CstConnectionSettings.ReadClient(configuration);
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
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await host.StartAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            host.Dispose();
            var where = settings.Embedded ? "the embedded PostgreSQL on 127.0.0.1" : "the configured database";
            var why = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : FirstLine(e.Message);
            throw new CstConnectionException($"no silo is reachable through {where} ({why})", e);
        }

        return new AdminConnection(host);
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
