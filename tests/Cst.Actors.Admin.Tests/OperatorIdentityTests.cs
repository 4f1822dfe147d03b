using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Connection;
using Cst.Actors.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cst.Actors.Admin.Tests;

/// <summary>The operator the audit names: the client certificate's subject against a TLS cluster, never an option or variable.</summary>
public sealed class OperatorIdentityTests : IDisposable
{
    private readonly DirectoryInfo _pki = Directory.CreateTempSubdirectory("cst-operator-");
    private readonly CstTlsSettings _shared;
    private readonly CstTlsSettings _personal;

    public OperatorIdentityTests()
    {
        var ca = Path.Combine(_pki.FullName, "ca");
        ClusterCertificates.CreateCa(ca, NullLogger.Instance);
        _shared = CstTlsSettings.SharedOperators(ca);
        var mario = Path.Combine(_pki.FullName, "mario");
        ClusterCertificates.IssueNamed(ca, "mario.rossi", mario, silo: false);
        _personal = new CstTlsSettings(Path.Combine(mario, "mario.rossi.pem"), Path.Combine(mario, "mario.rossi.key"), Path.Combine(mario, "ca.pem"));
    }

    public void Dispose() => _pki.Delete(recursive: true);

    [Fact]
    public void PersonalCertificate_NamesItsSubject()
    {
        Assert.Equal("mario.rossi", OperatorIdentity.Resolve(Settings(_personal), Configuration(), []));
    }

    [Fact]
    public void SharedOperatorsCertificate_OrNoTls_NamesTheOsUser()
    {
        Assert.Equal(Environment.UserName, OperatorIdentity.Resolve(Settings(_shared), Configuration(), []));
        Assert.Equal(Environment.UserName, OperatorIdentity.Resolve(Settings(null), Configuration(), []));
    }

    [Fact]
    public void OperatorVariable_WithAPersonalCertificate_IsRefusedNamingTheSubject()
    {
        var error = Assert.Throws<CstConnectionException>(() =>
            OperatorIdentity.Resolve(Settings(_personal), Configuration(("Operator", "sindaco.padova")), []));

        Assert.Contains("CST_Operator is set", error.Message, StringComparison.Ordinal);
        Assert.Contains("mario.rossi", error.Message, StringComparison.Ordinal);
        Assert.False(error.SiloMayBeDown);
    }

    [Fact]
    public void OperatorOption_IsRefused()
    {
        Assert.True(OperatorIdentity.GivesOperator(["audit", "--operator", "sindaco.padova"]));
        Assert.True(OperatorIdentity.GivesOperator(["--operator=sindaco.padova", "audit"]));
        Assert.Throws<CstConnectionException>(() => OperatorIdentity.Resolve(Settings(_shared), Configuration(), ["audit", "--operator", "x"]));
    }

    private static CstClientSettings Settings(CstTlsSettings? tls) =>
        new("Host=127.0.0.1", "cst", "cst-actors", Embedded: true) { Tls = tls };

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
