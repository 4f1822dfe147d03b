using System.Net;
using Cst.Actors.Connection;
using Microsoft.Extensions.Configuration;
using Orleans.Hosting;

namespace Cst.Actors.Silo.Hosting;

/// <summary>
/// Mutual TLS on the silo's two sockets (silo-to-silo and gateway) from <see cref="CstTlsSettings"/>; required as
/// soon as the silo listens on an address other hosts can reach.
/// </summary>
public static class SiloTls
{
    /// <summary>
    /// The silo's TLS settings: those configured; else, on the embedded default (<paramref name="embeddedTlsDirectory"/>
    /// given), its own CA's certificates, created at the first start; else null, on the loopback only.
    /// </summary>
    /// <exception cref="SiloConfigurationException">
    /// The listen address is not a loopback one and TLS is not configured, or the TLS settings are incomplete.
    /// </exception>
    public static CstTlsSettings? Read(IConfiguration configuration, SiloEndpoints endpoints, string? embeddedTlsDirectory = null, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(endpoints);
        CstTlsSettings? tls;
        try
        {
            tls = CstTlsSettings.Read(configuration);
        }
        catch (InvalidOperationException e)
        {
            throw new SiloConfigurationException(e.Message);
        }

        if (tls is null && embeddedTlsDirectory is not null)
        {
            // The embedded default authenticates clients also on the loopback: a local user without the operators'
            // certificate cannot call the cluster.
            return ClusterCertificates.EnsureCreated(embeddedTlsDirectory, logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        }

        if (tls is null && !IPAddress.IsLoopback(endpoints.ListenAddress))
        {
            throw new SiloConfigurationException(
                $"{SiloConfiguration.ListenAddressKey} is {endpoints.ListenAddress}, which other hosts reach, but TLS is not configured: "
                + $"give {CstTlsSettings.CertificateFileKey}, {CstTlsSettings.KeyFileKey} and {CstTlsSettings.CaFileKey} (certificates "
                + "of the cluster's CA, README.md), or listen on 127.0.0.1. Without TLS any client on the network could call the cluster, in plain text.");
        }

        return tls;
    }

    public static ISiloBuilder UseCstTls(this ISiloBuilder silo, CstTlsSettings? tls)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (tls is not null)
        {
            silo.UseTls(tls.LoadCertificate(), tls.Configure);
        }

        return silo;
    }
}
