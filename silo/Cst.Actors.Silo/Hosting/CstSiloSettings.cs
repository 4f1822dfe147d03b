using System.Net;

namespace Cst.Actors.Silo.Hosting;

/// <summary>What a silo of the Cst.Actors cluster needs to know: its database, its cluster and its endpoints.</summary>
/// <param name="ConnectionString">
/// The PostgreSQL database holding membership, grain state and reminders. Contains a password: never log it.
/// </param>
/// <param name="ClusterId">The deployment: silos and clients with the same id form one cluster.</param>
/// <param name="ServiceId">
/// The service's identity. It is part of the key of every stored grain state and reminder: changing it orphans all data.
/// </param>
/// <param name="Endpoints">Where the silo listens and what it advertises; null leaves Orleans' endpoint options alone.</param>
public sealed record CstSiloSettings(
    string ConnectionString,
    string ClusterId,
    string ServiceId,
    SiloEndpoints? Endpoints)
{
    /// <summary>The default cluster id.</summary>
    public const string DefaultClusterId = Cst.Actors.Connection.CstConnectionSettings.DefaultClusterId;

    /// <summary>The default service id. See <see cref="ServiceId"/>: do not change it once data exists.</summary>
    public const string DefaultServiceId = Cst.Actors.Connection.CstConnectionSettings.DefaultServiceId;

    /// <summary>Keeps the connection string (and its password) out of logs and exception messages.</summary>
    public override string ToString() =>
        $"CstSiloSettings {{ ClusterId = {ClusterId}, ServiceId = {ServiceId}, Endpoints = {Endpoints} }}";
}

/// <summary>The silo's network endpoints.</summary>
/// <param name="ListenAddress">Local address the silo-to-silo and gateway sockets bind to (0.0.0.0 for all).</param>
/// <param name="AdvertisedAddress">
/// Address written to the membership table, where other silos and clients connect: must be a concrete address
/// reachable from them.
/// </param>
/// <param name="SiloPort">Port for silo-to-silo traffic.</param>
/// <param name="GatewayPort">Port clients connect to.</param>
public sealed record SiloEndpoints(IPAddress ListenAddress, IPAddress AdvertisedAddress, int SiloPort, int GatewayPort)
{
    /// <summary>The default silo-to-silo port.</summary>
    public const int DefaultSiloPort = 11111;

    /// <summary>The default gateway (client) port.</summary>
    public const int DefaultGatewayPort = 30000;

    /// <summary>Loopback only, default ports: a single-host installation that nothing else can reach.</summary>
    public static SiloEndpoints Default { get; } =
        new(IPAddress.Loopback, IPAddress.Loopback, DefaultSiloPort, DefaultGatewayPort);
}
