using Cst.Actors.Documents;
using Cst.Actors.Silo.Hosting;
using Microsoft.Extensions.Configuration;

namespace Cst.Actors.Platform.Tests.Configuration;

/// <summary>The issuer of the statements comes from the silo's configuration: appsettings.json, CST_ variables, --Issuer:Key=value.</summary>
public class IssuerConfigurationTests
{
    [Fact]
    public void ShippedAppSettings_IssuerSection_IsComplete()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var configuration = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build();

        var issuer = configuration.GetSection(IssuerSettings.Section).Get<IssuerSettings>()!;

        Assert.Empty(issuer.Problems());
        Assert.Equal("Provincia di Padova", issuer.Body);
        Assert.Equal(30, issuer.PaymentTermsDays);
    }

    [Fact]
    public void SiloCommandLine_IssuerKey_IsAccepted()
    {
        var parsed = SiloCommandLine.Parse(["--Issuer:Iban=IT60X0542811101000000123456", "--Issuer:PaymentTermsDays=60"]);

        Assert.Null(parsed.Error);
        Assert.Equal("60", parsed.Overrides["Issuer:PaymentTermsDays"]);
    }

    [Fact]
    public void SiloCommandLine_MistypedIssuerKey_IsRefused()
    {
        var parsed = SiloCommandLine.Parse(["--Issuer:Ibna=IT60X0542811101000000123456"]);

        Assert.NotNull(parsed.Error);
        Assert.Contains("Issuer:Ibna", parsed.Error, StringComparison.Ordinal);
    }
}
