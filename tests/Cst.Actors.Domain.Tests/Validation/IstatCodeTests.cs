using Cst.Actors.Domain.Validation;

namespace Cst.Actors.Domain.Tests.Validation;

public sealed class IstatCodeTests
{
    [Theory]
    [InlineData("028060", "028", "060")] // Padova
    [InlineData("017029", "017", "029")] // Brescia
    [InlineData("010025", "010", "025")] // Genova
    [InlineData("006003", "006", "003")] // Alessandria
    [InlineData("001001", "001", "001")] // Agliè, the first code of the list
    [InlineData(" 028060 ", "028", "060")]
    public void Parse_SixDigits_SplitsProvinceAndMunicipality(string text, string province, string municipality)
    {
        var code = IstatCode.Parse(text);

        Assert.Equal(text.Trim(), code.Value);
        Assert.Equal(text.Trim(), code.ToString());
        Assert.Equal(province, code.ProvinceCode);
        Assert.Equal(municipality, code.MunicipalityNumber);
    }

    [Theory]
    [InlineData("02805", "ISTAT code 02805 must be 6 digits; it has 5 (a spreadsheet may have dropped its leading zeros)")]
    [InlineData("28060", "ISTAT code 28060 must be 6 digits; it has 5 (a spreadsheet may have dropped its leading zeros)")]
    [InlineData("0280600", "ISTAT code 0280600 must be 6 digits; it has 7")]
    [InlineData("02806A", "ISTAT code 02806A must be 6 digits; it contains 'A' at position 6")]
    [InlineData("028 060", "ISTAT code 028 060 must be 6 digits; it contains a space at position 4")]
    [InlineData("000123", "ISTAT code 000123 has province code 000, which no province has")]
    [InlineData("028000", "ISTAT code 028000 has municipality number 000; municipalities are numbered from 001 in each province")]
    [InlineData("028\t060", "ISTAT code 028\t060 must be 6 digits; it contains U+0009 at position 4")]
    [InlineData("", "ISTAT code is empty; it must be 6 digits")]
    [InlineData(null, "ISTAT code is empty; it must be 6 digits")]
    public void Validate_Invalid_ExplainsWhy(string? text, string message)
    {
        var result = IstatCode.Validate(text);

        Assert.False(result.Success);
        var error = Assert.IsType<InvalidIstatCodeException>(result.Error);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_Invalid_ThrowsInvalidIstatCodeException()
    {
        Assert.Throws<InvalidIstatCodeException>(() => IstatCode.Parse("28060"));
    }

    [Fact]
    public void TryParse_ValidAndInvalid_ReturnsWhetherParsed()
    {
        Assert.True(IstatCode.TryParse("028060", out var padova));
        Assert.Equal("028060", padova.Value);
        Assert.False(IstatCode.TryParse("000060", out _));
    }
}
