using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cst.Actors.Connection;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Platform.Tests.Postgres;
using Cst.Actors.Silo.Database;
using Cst.Actors.Silo.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
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
    public async Task TwoSilosWithTlsOnTwoAddresses_AClientWithTheClustersCertificateWorks_WithoutOrWithAnotherCasItIsRefused()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var clusterId = "tls-" + Guid.NewGuid().ToString("N")[..6];

        // The first host's CA and certificates (cst-silo create-ca), a silo certificate for the second host and a
        // personal one for an operator (cst-silo issue-silo-cert / issue-operator-cert).
        var caDirectory = Path.Combine(_pki.FullName, "ca");
        var first = ClusterCertificates.CreateCa(caDirectory, NullLogger.Instance);
        var secondHost = Path.Combine(_pki.FullName, "host2");
        ClusterCertificates.IssueNamed(caDirectory, "host2", secondHost, silo: true);
        var mario = Path.Combine(_pki.FullName, "mario");
        ClusterCertificates.IssueNamed(caDirectory, "mario.rossi", mario, silo: false);
        using var otherCa = CreateCa("CN=someone-else");
        var stranger = Issue(otherCa, "CN=sindaco.padova", "stranger");

        Dictionary<string, string> Environment(string certificate, string key, string ca) => new()
        {
            ["CST_ConnectionStrings__Cst"] = connectionString,
            ["CST_Tls__CertificateFile"] = certificate,
            ["CST_Tls__KeyFile"] = key,
            ["CST_Tls__CaFile"] = ca,
        };
        await using var one = SiloProcess.Start(
            ["--listen-address", "127.0.0.1", "--advertised-address", "127.0.0.1", "--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(), "--cluster-id", clusterId, "--demo-data", "Never"],
            Environment(first.CertificateFile, first.KeyFile, first.CaFile));
        await one.WaitForOutputAsync("Silo started", StartBound);
        await using var two = SiloProcess.Start(
            ["--listen-address", "127.0.0.2", "--advertised-address", "127.0.0.2", "--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(), "--cluster-id", clusterId, "--demo-data", "Never"],
            Environment(Path.Combine(secondHost, "host2.pem"), Path.Combine(secondHost, "host2.key"), Path.Combine(secondHost, "ca.pem")));
        await two.WaitForOutputAsync("Silo started", StartBound);

        // With a certificate of the cluster's CA: calls reach grains on both silos.
        var answered = await CallAsync(connectionString, clusterId, (Path.Combine(mario, "mario.rossi.pem"), Path.Combine(mario, "mario.rossi.key"), Path.Combine(mario, "ca.pem")));
        Assert.True(answered is null, $"a client with the cluster's certificate was refused: {answered}");
        Assert.Equal(2, await ActiveSilosAsync(connectionString, clusterId));

        // Without a certificate, or with one of another CA: refused during the handshake.
        Assert.NotNull(await CallAsync(connectionString, clusterId, null));
        Assert.NotNull(await CallAsync(connectionString, clusterId, (stranger.Certificate, stranger.Key, first.CaFile)));

        Assert.Equal(0, await two.SignalAndWaitAsync("TERM", StopBound));
        Assert.Equal(0, await one.SignalAndWaitAsync("TERM", StopBound));
    }

    [Fact]
    public async Task EmbeddedDefault_CreatesItsCaAtFirstStart_ClientWithoutCertificateRefusedOnLoopback_PersonalCertificateNamesTheOperator()
    {
        var dataDirectory = Path.Combine(_pki.FullName, "data", "postgres");
        var postgresPort = FreePort();
        var clusterId = "tls-embedded";
        string[] where = ["--data-dir", dataDirectory, "--postgres-port", postgresPort.ToString()];
        try
        {
            await using var silo = SiloProcess.Start(
                ["--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(), "--cluster-id", clusterId, "--demo-data", "Never", .. where],
                new Dictionary<string, string>());
            await silo.WaitForOutputAsync("Silo started", StartBound);

            // The CA and keys readable by the silo's user only; the operators' key also by its group; certificates public.
            var tls = CstConnectionSettings.TlsDirectory(dataDirectory);
            Assert.Equal("750", Mode(tls));
            Assert.Equal("600", Mode(Path.Combine(tls, "ca.key")));
            Assert.Equal("600", Mode(Path.Combine(tls, "silo.key")));
            Assert.Equal("640", Mode(Path.Combine(tls, "operators.key")));
            Assert.Equal("644", Mode(Path.Combine(tls, "ca.pem")));

            // The console's configuration finds the operators' certificate by itself, and it works.
            var configuration = new Dictionary<string, string?>
            {
                [CstConnectionSettings.EmbeddedDataDirectoryKey] = dataDirectory,
                [CstConnectionSettings.EmbeddedPortKey] = postgresPort.ToString(),
                [CstConnectionSettings.ClusterIdKey] = clusterId,
            };
            var settings = CstConnectionSettings.ReadClient(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
            Assert.Equal(Path.Combine(tls, "operators.pem"), settings.Tls?.CertificateFile);
            Assert.Null(settings.Tls!.Operator());
            var answered = await CallAsync(settings);
            Assert.True(answered is null, $"a client with the operators' certificate was refused: {answered}");

            // A local user with the database password but no certificate: refused, also on the loopback.
            Assert.NotNull(await CallAsync(settings with { Tls = null }));

            // A personal certificate issued by the command a sysadmin runs: accepted, and it names its operator.
            await using var issue = SiloProcess.Start(["issue-operator-cert", "--name", "mario.rossi", "--out", Path.Combine(_pki.FullName, "mario"), .. where], new Dictionary<string, string>());
            Assert.True(await issue.WaitForExitAsync(StopBound) == 0, issue.Output);
            var personal = new CstTlsSettings(
                Path.Combine(_pki.FullName, "mario", "mario.rossi.pem"), Path.Combine(_pki.FullName, "mario", "mario.rossi.key"), Path.Combine(_pki.FullName, "mario", "ca.pem"));
            Assert.Equal("600", Mode(personal.KeyFile));
            Assert.Equal("mario.rossi", personal.Operator());
            answered = await CallAsync(settings with { Tls = personal });
            Assert.True(answered is null, $"a client with a personal certificate was refused: {answered}");

            Assert.Equal(0, await silo.SignalAndWaitAsync("TERM", StopBound));
        }
        finally
        {
            await LocalPostgres.Create(new LocalPostgresSettings(dataDirectory, postgresPort), NullLogger.Instance).StopAsync(CancellationToken.None);
            NpgsqlConnection.ClearAllPools();
        }
    }

    private static string Mode(string path) =>
        OperatingSystem.IsWindows() ? "n/a" : Convert.ToString((int)File.GetUnixFileMode(path), 8);

    private static async Task<long> ActiveSilosAsync(string connectionString, string clusterId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleans_membership WHERE deployment_id = $1 AND status = 3", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        return (long)(await command.ExecuteScalarAsync())!;
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

        return await CallAsync(CstConnectionSettings.ReadClient(new ConfigurationBuilder().AddInMemoryCollection(values).Build()));
    }

    private static async Task<string?> CallAsync(CstClientSettings settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client.UseCstCluster(settings));
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
