using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;
using Orleans.Hosting;

namespace Cst.Actors.Connection;

/// <summary>
/// Mutual TLS between silos and between clients and gateways, from PEM files: this process's certificate and key,
/// and the cluster's CA, which must have issued the peer's certificate (silo or client). A peer without a certificate,
/// or with one of another CA, is refused during the handshake, before any grain call. Host names are not checked: the
/// CA is the cluster's own, and every certificate it issues belongs to the cluster.
/// </summary>
/// <param name="CertificateFile">PEM certificate of this silo or client (<c>Tls:CertificateFile</c>).</param>
/// <param name="KeyFile">PEM private key of that certificate (<c>Tls:KeyFile</c>), readable by its user only.</param>
/// <param name="CaFile">PEM certificate of the cluster's CA (<c>Tls:CaFile</c>).</param>
public sealed record CstTlsSettings(string CertificateFile, string KeyFile, string CaFile)
{
    /// <summary>Subject of the embedded default's shared operators' certificate: the audit then names the OS user.</summary>
    public const string SharedOperatorsSubject = "CN=cst-operators";

    /// <summary>Files of the embedded default's certificates, in <see cref="CstConnectionSettings.TlsDirectory"/>.</summary>
    public const string CaCertificateName = "ca.pem";
    public const string CaKeyName = "ca.key";
    public const string SiloCertificateName = "silo.pem";
    public const string SiloKeyName = "silo.key";
    public const string OperatorsCertificateName = "operators.pem";
    public const string OperatorsKeyName = "operators.key";

    public const string CertificateFileKey = "Tls:CertificateFile";
    public const string KeyFileKey = "Tls:KeyFile";
    public const string CaFileKey = "Tls:CaFile";

    /// <summary>The keys, for the silo's list of known keys.</summary>
    public static readonly IReadOnlyList<string> Keys = [CertificateFileKey, KeyFileKey, CaFileKey];

    /// <summary>The TLS settings, or null when none of the keys is given; all three or none.</summary>
    /// <exception cref="InvalidOperationException">Some but not all are given, or a file is missing.</exception>
    public static CstTlsSettings? Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var values = Keys.Select(k => configuration[k] is { Length: > 0 } v && !string.IsNullOrWhiteSpace(v) ? Path.GetFullPath(v.Trim()) : null).ToArray();
        if (values.All(v => v is null))
        {
            return null;
        }

        var missing = Keys.Where((_, i) => values[i] is null).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"TLS needs {string.Join(", ", Keys)}; {string.Join(" and ", missing)} not given.");
        }

        foreach (var (key, file) in Keys.Zip(values))
        {
            if (!File.Exists(file))
            {
                throw new InvalidOperationException($"{key} names {file}, which does not exist.");
            }
        }

        return new CstTlsSettings(values[0]!, values[1]!, values[2]!);
    }

    /// <summary>The embedded default's shared operators' certificate in <paramref name="tlsDirectory"/>.</summary>
    public static CstTlsSettings SharedOperators(string tlsDirectory) => new(
        Path.Combine(tlsDirectory, OperatorsCertificateName), Path.Combine(tlsDirectory, OperatorsKeyName), Path.Combine(tlsDirectory, CaCertificateName));

    /// <summary>
    /// The operator this certificate names, for the audit: its subject's common name (CN), or null for the embedded
    /// default's shared operators' certificate, which names nobody (the audit then names the OS user).
    /// </summary>
    public string? Operator()
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(CertificateFile);
        if (certificate.SubjectName.Name == SharedOperatorsSubject)
        {
            return null;
        }

        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.IsNullOrWhiteSpace(name) ? certificate.Subject : name;
    }

    /// <summary>This process's certificate with its key.</summary>
    public X509Certificate2 LoadCertificate() => X509Certificate2.CreateFromPemFile(CertificateFile, KeyFile);

    /// <summary>The cluster's CA.</summary>
    public X509Certificate2 LoadCa() => X509CertificateLoader.LoadCertificateFromFile(CaFile);

    /// <summary>Mutual authentication with the cluster's CA, for a silo or a client.</summary>
    public void Configure(TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ca = LoadCa();
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (certificate, _, _) => IssuedBy(certificate, ca);
        options.OnAuthenticateAsClient = (_, client) => client.TargetHost = "cst-actors";

        // Orleans' 10 s ran out on a 2-core host busy loading the demo data; a refused peer still fails at once.
        options.HandshakeTimeout = TimeSpan.FromSeconds(30);
    }

    /// <summary>Whether <paramref name="certificate"/> chains to <paramref name="ca"/> and is valid now.</summary>
    public static bool IssuedBy(X509Certificate2? certificate, X509Certificate2 ca)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate) && chain.ChainElements[^1].Certificate.Thumbprint == ca.Thumbprint;
    }
}

/// <summary>TLS on a client of the cluster (the console, tests).</summary>
public static class ClientTlsWiring
{
    public static IClientBuilder UseCstTls(this IClientBuilder builder, CstTlsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        return builder.UseTls(settings.LoadCertificate(), settings.Configure);
    }
}
