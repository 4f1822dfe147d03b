using System.Globalization;
using Cst.Actors.Domain.Validation;

namespace Cst.Actors.Domain.Tests.Validation;

public sealed class GuardLimitsTests
{
    [Fact]
    public void Amount_HundredBillion_IsTooLarge()
    {
        var error = Assert.Throws<OutOfRangeException>(() => Guard.Amount(100000000000.00m, "agreed price of s.1"));

        Assert.Equal("agreed price of s.1 is 100000000000.00; it is too large: at most 10,000", error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("981.00")]
    [InlineData("10000")]
    public void Amount_WithinLimit_IsAccepted(string value)
    {
        var euros = decimal.Parse(value, CultureInfo.InvariantCulture);

        Assert.Equal(euros, Guard.Amount(euros, "agreed price"));
    }

    [Fact]
    public void Amount_FractionOfCent_IsRefused()
    {
        Assert.False(Guard.ValidateAmount(1.005m, "agreed price").Success);
    }

    [Fact]
    public void Quantity_TenTrillion_IsTooLarge()
    {
        var result = Guard.ValidateQuantity(1e13m, "quantity of antivirus");

        Assert.False(result.Success);
        Assert.Equal("quantity of antivirus is 10000000000000; it is too large: at most 10,000", result.ErrorMessage);
    }

    [Fact]
    public void PositiveQuantity_AboveLimit_IsTooLarge()
    {
        Assert.Contains("too large", Guard.ValidatePositiveQuantity(10_000.5m, "consumption").ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_LargestLineTimesHundredLines_FitsNumeric12_2()
    {
        // numeric(12,2) holds up to 9,999,999,999.99; a line is at most price x quantity.
        var line = Guard.MaxAmount * Guard.MaxQuantity;

        Assert.True(line * 99 < 9_999_999_999.99m);
    }

    [Fact]
    public void Inhabitants_AboveLimit_IsTooLarge()
    {
        Assert.False(Guard.ValidateInhabitants(10_000_001, "population").Success);
        Assert.True(Guard.ValidateInhabitants(2_750_000, "population").Success);
    }

    [Fact]
    public void WholeUnits_HalfClient_IsRefused()
    {
        var result = Guard.ValidateWholeUnits(1.5m, "client/server", "quantity of antivirus");

        Assert.False(result.Success);
        Assert.Equal("quantity of antivirus is 1.5; it is counted in whole units (client/server); give a whole number", result.ErrorMessage);
    }

    [Fact]
    public void WholeUnits_HalfGigabyte_IsAccepted()
    {
        Assert.True(Guard.ValidateWholeUnits(1.5m, "GB", "extra space").Success);
    }

    [Fact]
    public void Text_TooLong_NamesFieldAndLimit()
    {
        var result = Guard.ValidateText(new string('a', 201), "name of the ente", Guard.MaxNameLength);

        Assert.False(result.Success);
        Assert.Contains("name of the ente is 201 characters long; at most 200", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Comune\u001b[2J", "U+001B", 7)]
    [InlineData("Comune\rX", "U+000D", 7)]
    [InlineData("Comune\nX", "U+000A", 7)]
    [InlineData("a\u0085", "U+0085", 2)]
    [InlineData("\u202Egpj.exe", "U+202E", 1)]
    [InlineData("ab\u2066c", "U+2066", 3)]
    [InlineData("x\0", "U+0000", 2)]
    public void Text_UnsafeCharacter_NamesItAndItsPosition(string value, string code, int position)
    {
        var result = Guard.ValidateText(value, "name of the ente", Guard.MaxNameLength);

        Assert.False(result.Success);
        Assert.Contains($"name of the ente holds the character {code} at position {position}", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_ItalianName_IsAccepted()
    {
        Assert.Equal("Comune di Forlì-Cesena «Unione»", Guard.Text("Comune di Forlì-Cesena «Unione»", "name", Guard.MaxNameLength));
    }

    [Fact]
    public void Printable_ReplacesEscapesAndBidi()
    {
        Assert.Equal("a?[2Jb?c?d", Guard.Printable("a\u001b[2Jb\u202Ec\u0007d"));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("+39 049", "'+39 049")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("-cmd", "'-cmd")]
    [InlineData("-50,00", "-50,00")]
    [InlineData("-50.5", "-50.5")]
    [InlineData("Comune di Padova", "Comune di Padova")]
    public void CsvCell_NeutralisesFormulasButNotNumbers(string cell, string expected)
    {
        Assert.Equal(expected, Guard.CsvCell(cell));
    }
}
