using Cst.Actors.Domain.Validation;

namespace Cst.Actors.Domain.Tests.Validation;

public sealed class CodiceFiscaleEnteTests
{
    // Check digits worked out by hand: positions 1-10, odd positions added as they are, even positions doubled
    // (minus 9 when the double exceeds 9); check = (10 - sum mod 10) mod 10.
    [Theory]
    // Comune di Padova 00644060287: odd 0+6+4+6+2 = 18; even 0,4,0,0,8 -> 0+8+0+0+(16-9=7) = 15; 33 -> 10-3 = 7
    [InlineData("00644060287")]
    // Provincia di Padova 80006510285: odd 8+0+6+1+2 = 17; even 0,0,5,0,8 -> 0+0+(10-9=1)+0+7 = 8; 25 -> 10-5 = 5
    [InlineData("80006510285")]
    // Comune di Brescia 00761890177: odd 0+7+1+9+1 = 18; even 0,6,8,0,7 -> 0+3+7+0+5 = 15; 33 -> 7
    [InlineData("00761890177")]
    // Comune di Genova 00856930102: odd 0+8+6+3+1 = 18; even 0,5,9,0,0 -> 0+1+9+0+0 = 10; 28 -> 10-8 = 2
    [InlineData("00856930102")]
    // Comune di Alessandria 00429440068: odd 0+4+9+4+0 = 17; even 0,2,4,0,6 -> 0+4+8+0+3 = 15; 32 -> 8
    [InlineData("00429440068")]
    // Roma Capitale 02438750586: odd 0+4+8+5+5 = 22; even 2,3,7,0,8 -> 4+6+5+0+7 = 22; 44 -> 6
    [InlineData("02438750586")]
    // Comune di Milano 01199250158: odd 0+1+9+5+1 = 16; even 1,9,2,0,5 -> 2+9+4+0+1 = 16; 32 -> 8
    [InlineData("01199250158")]
    // Made up to reach the (10 - 0) mod 10 = 0 case: odd 0+0+0+0+1 = 1; even 0,0,0,0,9 -> 9; 10 -> 0
    [InlineData("00000000190")]
    public void Parse_ValidCodiceFiscale_KeepsDigits(string text)
    {
        var parsed = CodiceFiscaleEnte.Parse(text);

        Assert.Equal(text, parsed.Value);
        Assert.Equal(text, parsed.ToString());
    }

    [Theory]
    [InlineData(" 00644060287 ")]
    [InlineData("\t00644060287\n")]
    public void Parse_SurroundingBlanks_AreTrimmed(string text)
    {
        Assert.Equal(CodiceFiscaleEnte.Parse("00644060287"), CodiceFiscaleEnte.Parse(text));
    }

    [Theory]
    // The last digit of Comune di Padova's code changed: 7 is expected (see above).
    [InlineData("00644060289", "codice fiscale 00644060289 has check digit 9 where 7 was expected")]
    // Digits 9 and 10 swapped (82 for 28): odd 0+6+4+6+8 = 24; even 0,4,0,0,2 -> 0+8+0+0+4 = 12; 36 -> 10-6 = 4
    [InlineData("00644060827", "codice fiscale 00644060827 has check digit 7 where 4 was expected")]
    // Provincia di Padova with the check digit of another number.
    [InlineData("80006510280", "codice fiscale 80006510280 has check digit 0 where 5 was expected")]
    public void Validate_WrongCheckDigit_NamesBothDigits(string text, string message)
    {
        var result = CodiceFiscaleEnte.Validate(text);

        Assert.False(result.Success);
        var error = Assert.IsType<InvalidCodiceFiscaleException>(result.Error);
        Assert.Equal(message, error.Message);
        Assert.Equal(text, error.Input);
    }

    [Theory]
    [InlineData("0064406028", "codice fiscale 0064406028 has 10 digits; it must have exactly 11")]
    [InlineData("006440602870", "codice fiscale 006440602870 has 12 digits; it must have exactly 11")]
    [InlineData("1", "codice fiscale 1 has 1 digit; it must have exactly 11")]
    public void Validate_WrongLength_SaysHowManyDigits(string text, string message)
    {
        Assert.Equal(message, CodiceFiscaleEnte.Validate(text).ErrorMessage);
    }

    [Theory]
    [InlineData("0064406028A", "codice fiscale 0064406028A contains the letter 'A' at position 11; an ente's codice fiscale has digits only")]
    [InlineData("00644 060287", "codice fiscale 00644 060287 contains a space at position 6; an ente's codice fiscale has digits only")]
    [InlineData("00644-060287", "codice fiscale 00644-060287 contains the character '-' at position 6; an ente's codice fiscale has digits only")]
    // Full-width digits look like digits but are not 0-9.
    [InlineData("００６４４０６０２８７", "codice fiscale ００６４４０６０２８７ contains the character '０' at position 1; an ente's codice fiscale has digits only")]
    public void Validate_NonDigit_NamesCharacterAndPosition(string text, string message)
    {
        Assert.Equal(message, CodiceFiscaleEnte.Validate(text).ErrorMessage);
    }

    [Theory]
    [InlineData("RSSMRA80A01G224K")]
    [InlineData("rssmra80a01g224k")]
    public void Validate_PersonalCodiceFiscale_SaysItIsAPersons(string text)
    {
        var message = CodiceFiscaleEnte.Validate(text).ErrorMessage;

        Assert.Equal(
            $"codice fiscale {text} is a person's codice fiscale (16 letters and digits); "
            + "an ente has an 11-digit numeric codice fiscale",
            message);
    }

    [Fact]
    public void Validate_VatCountryPrefix_AsksForDigitsOnly()
    {
        Assert.Equal(
            "codice fiscale IT00644060287 carries the VAT country prefix IT; write the 11 digits without it",
            CodiceFiscaleEnte.Validate("IT00644060287").ErrorMessage);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_Empty_SaysEmpty(string? text)
    {
        Assert.Equal("codice fiscale is empty; an ente's codice fiscale has 11 digits",
            CodiceFiscaleEnte.Validate(text).ErrorMessage);
    }

    [Fact]
    public void Validate_AllZeros_IsRefusedAsPlaceholder()
    {
        // 00000000000 passes the check digit (sum 0, check 0) but is what an empty form field becomes.
        Assert.Equal("codice fiscale 00000000000 is all zeros, a placeholder rather than a real codice fiscale",
            CodiceFiscaleEnte.Validate("00000000000").ErrorMessage);
    }

    [Fact]
    public void Parse_Invalid_ThrowsDomainException()
    {
        var error = Assert.Throws<InvalidCodiceFiscaleException>(() => CodiceFiscaleEnte.Parse("00644060289"));

        Assert.IsAssignableFrom<DomainException>(error);
        Assert.Contains("00644060289", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_ValidAndInvalid_ReturnsWhetherParsed()
    {
        Assert.True(CodiceFiscaleEnte.TryParse("80006510285", out var valid));
        Assert.Equal("80006510285", valid.Value);
        Assert.False(CodiceFiscaleEnte.TryParse("8000651028", out var invalid));
        Assert.Equal(default, invalid);
    }

    [Theory]
    [InlineData("0064406028", 7)]
    [InlineData("8000651028", 5)]
    [InlineData("0000000019", 0)]
    public void ComputeCheckDigit_TenDigits_ReturnsHandComputedDigit(string firstTen, int expected)
    {
        Assert.Equal(expected, CodiceFiscaleEnte.ComputeCheckDigit(firstTen));
    }

    [Theory]
    [InlineData("006440602")]
    [InlineData("006440602A")]
    public void ComputeCheckDigit_NotTenDigits_ThrowsArgumentException(string firstTen)
    {
        Assert.Throws<ArgumentException>(() => CodiceFiscaleEnte.ComputeCheckDigit(firstTen));
    }

    [Fact]
    public void Equality_SameDigits_AreEqual()
    {
        Assert.Equal(CodiceFiscaleEnte.Parse("00644060287"), CodiceFiscaleEnte.Parse(" 00644060287"));
        Assert.NotEqual(CodiceFiscaleEnte.Parse("00644060287"), CodiceFiscaleEnte.Parse("80006510285"));
    }
}
