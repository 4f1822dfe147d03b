using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cst.Actors.Connection;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Platform.Tests.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Cst.Actors.Platform.Tests.Cluster.SiloProcessTests;

namespace Cst.Actors.Platform.Tests.Cluster;

/// <summary>Mutual TLS: only clients with a certificate of the cluster's CA reach it; no plain text off the loopback.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SiloTlsTests(PostgresFixture postgres) : IDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo _pki = Directory.CreateTempSubdirectory("cst-pki-");

    public void Dispose() => _pki.Delete(recursive: true);

    [Fact]
    public async Task Silo_ListeningOnAllAddressesWithoutTls_RefusesToStartNamingTheSetting()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var silo = SiloProcess.Start(
            ["--listen-address", "0.0.0.0", "--advertised-address", "127.0.0.1", "--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString()],
            new Dictionary<string, string> { ["CST_ConnectionStrings__Cst"] = connectionString });

        var exitCode = await silo.WaitForExitAsync(StopBound);

        Assert.True(exitCode == 2, $"expected exit code 2, got {exitCode}; output:\n{silo.Output}");
        var line = Assert.Single(silo.Output.Trim().Split('\n'));
        Assert.Contains("Silo:ListenAddress is 0.0.0.0", line, StringComparison.Ordinal);
        Assert.Contains(CstTlsSettings.CertificateFileKey, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Silo started", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoSilosWithTls_AClientWithTheClustersCertificateWorks_WithoutOrWithAnotherCasItIsRefused()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var clusterId = "tls-" + Guid.NewGuid().ToString("N")[..6];
        using var ca = CreateCa("CN=cst-test-ca");
        var silos = Issue(ca, "CN=cst-silo", "silo");
        var operators = Issue(ca, "CN=operatore.ced", "operator");
        using var otherCa = CreateCa("CN=someone-else");
        var stranger = Issue(otherCa, "CN=sindaco.padova", "stranger");
        var caFile = WritePem("ca.pem", ca.ExportCertificatePem());

        var environment = new Dictionary<string, string>
        {
            ["CST_ConnectionStrings__Cst"] = connectionString,
            ["CST_Tls__CertificateFile"] = silos.Certificate,
            ["CST_Tls__KeyFile"] = silos.Key,
            ["CST_Tls__CaFile"] = caFile,
        };
        await using var first = SiloProcess.Start(
            ["--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(), "--cluster-id", clusterId, "--demo-data", "Never"], environment);
        await first.WaitForOutputAsync("Silo started", StartBound);
        await using var second = SiloProcess.Start(
            ["--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(), "--cluster-id", clusterId, "--demo-data", "Never"], environment);
        await second.WaitForOutputAsync("Silo started", StartBound);

        // With the operators' certificate: calls reach grains on both silos.
        var answered = await CallAsync(connectionString, clusterId, (operators.Certificate, operators.Key, caFile));
        Assert.True(answered is null, $"a client with the cluster's certificate was refused: {answered}");

        // Without a certificate, or with one of another CA: refused during the handshake.
        Assert.NotNull(await CallAsync(connectionString, clusterId, null));
        Assert.NotNull(await CallAsync(connectionString, clusterId, (stranger.Certificate, stranger.Key, caFile)));

        Assert.Equal(0, await second.SignalAndWaitAsync("TERM", StopBound));
        Assert.Equal(0, await first.SignalAndWaitAsync("TERM", StopBound));
    }

    /// <summary>Connects and asks the cluster something; null when it answered, else what went wrong.</summary>
    private static async Task<string?> CallAsync(string connectionString, string clusterId, (string Certificate, string Key, string Ca)? tls)
    {
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:" + CstConnectionSettings.ConnectionStringName] = connectionString,
            [CstConnectionSettings.ClusterIdKey] = clusterId,
        };
        if (tls is { } files)
        {
            values[CstTlsSettings.CertificateFileKey] = files.Certificate;
            values[CstTlsSettings.KeyFileKey] = files.Key;
            values[CstTlsSettings.CaFileKey] = files.Ca;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client.UseCstCluster(CstConnectionSettings.ReadClient(new ConfigurationBuilder().AddInMemoryCollection(values).Build())));
        using var host = builder.Build();
        using var bound = new CancellationTokenSource(StopBound);
        try
        {
            await host.StartAsync(bound.Token);
            var query = host.Services.GetRequiredService<IClusterClient>().GetGrain<IAdminQueryGrain>(IAdminQueryGrain.Key);
            for (var i = 0; i < 4; i++)
            {
                // Stateless workers: several calls so that both silos serve some.
                await query.TodayAsync().WaitAsync(bound.Token);
            }

            await host.StopAsync(CancellationToken.None);
            return null;
        }
        catch (Exception e)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    private static X509Certificate2 CreateCa(string subject)
    {
        // Not disposed: the certificate returned signs with it.
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private (string Certificate, string Key) Issue(X509Certificate2 ca, string subject, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(12));
        return (WritePem(name + ".pem", certificate.ExportCertificatePem()), WritePem(name + ".key", key.ExportPkcs8PrivateKeyPem()));
    }

    private string WritePem(string name, string pem)
    {
        var path = Path.Combine(_pki.FullName, name);
        File.WriteAllText(path, pem);
        return path;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
