using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Cst.Actors.Connection;
using Microsoft.Extensions.Logging;

namespace Cst.Actors.Silo.Hosting;

/// <summary>
/// The cluster's own CA and the certificates it issues, made with .NET's <see cref="CertificateRequest"/> (ECDSA
/// P-256, PEM files). A TLS directory holds the CA (<c>ca.pem</c>, <c>ca.key</c>), the silo's certificate and the
/// operators' shared one. Keys are created private (0600) before a byte is written; the operators' key is also
/// readable by the silo user's group (0640), for operators added to it. Certificates are public (0644).
/// </summary>
public static partial class ClusterCertificates
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Group = Private | UnixFileMode.GroupRead;
    private const UnixFileMode Public = Group | UnixFileMode.OtherRead;
    private const UnixFileMode Directory0750 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Valid for 20 years: a CA that expires under a running cluster would lock everybody out.</summary>
    private static readonly TimeSpan CaValidity = TimeSpan.FromDays(20 * 365);

    private static readonly TimeSpan SiloValidity = TimeSpan.FromDays(10 * 365);

    /// <summary>A personal certificate is renewed every two years, so that one left behind stops working.</summary>
    public static readonly TimeSpan OperatorValidity = TimeSpan.FromDays(2 * 365);

    /// <summary>
    /// The silo's TLS settings from <paramref name="tlsDirectory"/>, creating the CA, the silo's and the operators'
    /// certificates first when the directory does not exist (the first start of the embedded default).
    /// </summary>
    /// <exception cref="SiloConfigurationException">The directory exists but a file is missing.</exception>
    public static CstTlsSettings EnsureCreated(string tlsDirectory, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (!Directory.Exists(tlsDirectory))
        {
            // Made complete in a sibling directory, then renamed: an interrupted first start leaves no half CA.
            var staging = tlsDirectory + ".incomplete";
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            CreateDirectory(staging);
            using (var ca = CreateCa(staging))
            {
                Issue(ca, staging, "CN=cst-silo", CstTlsSettings.SiloCertificateName, CstTlsSettings.SiloKeyName, silo: true, SiloValidity, Private);
                Issue(ca, staging, CstTlsSettings.SharedOperatorsSubject, CstTlsSettings.OperatorsCertificateName, CstTlsSettings.OperatorsKeyName, silo: false, SiloValidity, Group);
            }

            Directory.Move(staging, tlsDirectory);
            logger.LogInformation(
                "Created the cluster's CA, the silo's and the operators' certificates in {TlsDirectory} (cst-silo issue-operator-cert issues personal ones)",
                tlsDirectory);
        }

        string[] needed = [CstTlsSettings.CaCertificateName, CstTlsSettings.CaKeyName, CstTlsSettings.SiloCertificateName, CstTlsSettings.SiloKeyName];
        if (needed.FirstOrDefault(n => !File.Exists(Path.Combine(tlsDirectory, n))) is { } missing)
        {
            throw new SiloConfigurationException(
                $"{Path.Combine(tlsDirectory, missing)} is missing: restore it from the backup of {tlsDirectory}, or move the directory away so the silo creates a new CA (every issued certificate must then be issued again).");
        }

        return new CstTlsSettings(
            Path.Combine(tlsDirectory, CstTlsSettings.SiloCertificateName),
            Path.Combine(tlsDirectory, CstTlsSettings.SiloKeyName),
            Path.Combine(tlsDirectory, CstTlsSettings.CaCertificateName));
    }

    /// <summary>
    /// Issues a certificate of the CA in <paramref name="tlsDirectory"/> into <paramref name="outDirectory"/>:
    /// <c>NAME.pem</c>, <c>NAME.key</c> (0600) and a copy of <c>ca.pem</c>. An operator's certificate authenticates a
    /// client, and its name is what the audit records; a silo's certificate serves another host's silo.
    /// </summary>
    /// <returns>The certificate file written.</returns>
    /// <exception cref="SiloConfigurationException">The name is not usable, there is no CA, or a file exists.</exception>
    public static string IssueNamed(string tlsDirectory, string name, string outDirectory, bool silo)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new SiloConfigurationException(
                $"'{name}' is not a certificate name: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 (e.g. mario.rossi).");
        }

        if (name == "cst-operators" || name == "cst-silo")
        {
            throw new SiloConfigurationException($"'{name}' is the name of the shared certificates; give a person's or a host's name.");
        }

        var caFile = Path.Combine(tlsDirectory, CstTlsSettings.CaCertificateName);
        var caKey = Path.Combine(tlsDirectory, CstTlsSettings.CaKeyName);
        if (!File.Exists(caFile) || !File.Exists(caKey))
        {
            throw new SiloConfigurationException(
                $"there is no CA in {tlsDirectory} ({CstTlsSettings.CaCertificateName} and {CstTlsSettings.CaKeyName}): start the silo once on its embedded default, or run cst-silo create-ca --tls-dir DIR.");
        }

        var certificateFile = Path.Combine(outDirectory, name + ".pem");
        var keyFile = Path.Combine(outDirectory, name + ".key");
        foreach (var file in new[] { certificateFile, keyFile })
        {
            if (File.Exists(file))
            {
                throw new SiloConfigurationException($"{file} exists already; choose another --out directory or remove it.");
            }
        }

        X509Certificate2 ca;
        try
        {
            ca = X509Certificate2.CreateFromPemFile(caFile, caKey);
        }
        catch (UnauthorizedAccessException)
        {
            throw new SiloConfigurationException($"{caKey} cannot be read by user {Environment.UserName}: run this as the silo's user (e.g. runuser -u cst --).");
        }

        using (ca)
        {
            if (!Directory.Exists(outDirectory))
            {
                CreateDirectory(outDirectory);
            }

            var validity = silo ? SiloValidity : OperatorValidity;
            Issue(ca, outDirectory, "CN=" + name, name + ".pem", name + ".key", silo, validity, Private);
            var caCopy = Path.Combine(outDirectory, CstTlsSettings.CaCertificateName);
            if (!File.Exists(caCopy))
            {
                Write(caCopy, ca.ExportCertificatePem(), Public);
            }
        }

        return certificateFile;
    }

    /// <summary>Creates a CA with the silo's and the operators' certificates in a new directory (the first host of an external database).</summary>
    public static CstTlsSettings CreateCa(string tlsDirectory, ILogger logger)
    {
        if (Directory.Exists(tlsDirectory))
        {
            throw new SiloConfigurationException($"{tlsDirectory} exists already; a second CA would not recognise the certificates of the first.");
        }

        return EnsureCreated(tlsDirectory, logger);
    }

    private static X509Certificate2 CreateCa(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=cst-actors CA {DateTime.UtcNow:yyyy-MM-dd}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var ca = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(CaValidity));
        Write(Path.Combine(directory, CstTlsSettings.CaKeyName), key.ExportPkcs8PrivateKeyPem(), Private);
        Write(Path.Combine(directory, CstTlsSettings.CaCertificateName), ca.ExportCertificatePem(), Public);
        return ca;
    }

    private static void Issue(X509Certificate2 ca, string directory, string subject, string certificateName, string keyName, bool silo, TimeSpan validity, UnixFileMode keyMode)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));

        // A silo is a TLS server (its gateway, its silo port) and a client (of the other silos); an operator only a client.
        var usages = new OidCollection { ClientAuthentication };
        if (silo)
        {
            usages.Add(ServerAuthentication);
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var now = DateTimeOffset.UtcNow;
        var notAfter = now.Add(validity) < ca.NotAfter ? now.Add(validity) : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        using var certificate = request.Create(ca, now.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));
        Write(Path.Combine(directory, keyName), key.ExportPkcs8PrivateKeyPem(), keyMode);
        Write(Path.Combine(directory, certificateName), certificate.ExportCertificatePem(), Public);
    }

    private static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, Directory0750);
        }
    }

    private static void Write(string path, string pem, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created with its final mode (less the umask), never readable by others even for a moment.
            options.UnixCreateMode = mode;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(pem);
            writer.Write('\n');
        }

        if (!OperatingSystem.IsWindows())
        {
            // The umask may have taken a bit away (UMask=0027 under systemd keeps these as they are).
            File.SetUnixFileMode(path, mode);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
