using Cst.Actors.Documents;

namespace Cst.Actors.Domain.Tests.Documents;

public class IssuerSettingsTests
{
    internal static IssuerSettings Padova() => new()
    {
        Body = "Provincia di Padova",
        Name = "Centro Servizi Territoriali (CST)",
        CodiceFiscale = "80006510285",
        Address = "Piazza Antenore 3, 35121 Padova (PD)",
        Pec = "protocollo@pec.provincia.padova.it",
        Iban = "IT60 X054 2811 1010 0000 0123 456",
        PaymentTermsDays = 30,
        SignerRole = "Il Dirigente del Settore Sistemi Informativi",
    };

    [Fact]
    public void Problems_CompleteSettings_None()
    {
        Assert.Empty(Padova().Problems());
        Assert.Equal("Provincia di Padova — Centro Servizi Territoriali (CST)", Padova().Heading);
        Assert.Equal("IT60 X054 2811 1010 0000 0123 456", Padova().IbanPrinted);
    }

    [Fact]
    public void Problems_NothingConfigured_NamesEveryRequiredKey()
    {
        var problems = new IssuerSettings().Problems();

        foreach (var key in new[] { "Body", "CodiceFiscale", "Address", "Pec", "Iban", "SignerRole" })
        {
            Assert.Contains($"Issuer:{key} is not set", problems);
        }
    }

    [Theory]
    [InlineData("IT60X0542811101000000123456", true)]
    [InlineData("it60 x054 2811 1010 0000 0123 456", true)]
    [InlineData("IT61X0542811101000000123456", false)] // check digits off by one
    [InlineData("IT60X0542811101000000123457", false)] // account changed
    [InlineData("IT60", false)]
    public void IsIban_CheckDigits(string iban, bool valid) => Assert.Equal(valid, IssuerSettings.IsIban(iban));

    [Fact]
    public void Problems_MalformedValues_NameTheKeyAndValue()
    {
        var settings = Padova();
        settings.Iban = "IT61X0542811101000000123456";
        settings.CodiceFiscale = "8000651028";
        settings.PaymentTermsDays = -1;

        var problems = settings.Problems();

        Assert.Contains(problems, p => p.Contains("Issuer:Iban 'IT61X0542811101000000123456'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Issuer:CodiceFiscale '8000651028'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Issuer:PaymentTermsDays -1", StringComparison.Ordinal));
    }
}
