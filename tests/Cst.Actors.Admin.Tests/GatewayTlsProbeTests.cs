using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cst.Actors.Admin.Infrastructure;

namespace Cst.Actors.Admin.Tests;

/// <summary>
/// A console without a certificate, refused by a gateway that requires one, says so instead of "the cluster is slow
/// to answer": it tells a TLS gateway from one that only accepts the connection.
/// </summary>
public sealed class GatewayTlsProbeTests
{
    [Fact]
    public async Task GatewayRequiringClientCertificates_IsSeenAsTls()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = new CertificateRequest("CN=cst-silo", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(issued.Export(X509ContentType.Pfx), null);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            await using var tls = new SslStream(client.GetStream(), false, (_, c, _, _) => c is not null);
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, ClientCertificateRequired = true });
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
            {
                // The probe gives up once it has seen the certificate.
            }
        });

        Assert.True(await AdminConnection.SpeaksTlsAsync(Endpoint(listener), TimeSpan.FromSeconds(20)));
        await server.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task PlainListener_IsNotSeenAsTls()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            await client.GetStream().WriteAsync("not TLS\n"u8.ToArray());
        });

        Assert.False(await AdminConnection.SpeaksTlsAsync(Endpoint(listener), TimeSpan.FromSeconds(20)));
        await server.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private static string Endpoint(TcpListener listener) => $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
}
