namespace Cst.Actors.Domain.Tests;

/// <summary>The single rounding policy of DESIGN rule 2: to the cent, half away from zero.</summary>
public class MoneyTests
{
    [Theory]
    [InlineData("3.125", "3.13")]
    [InlineData("3.124", "3.12")]
    [InlineData("0.005", "0.01")]
    [InlineData("-0.005", "-0.01")]
    [InlineData("-3.125", "-3.13")]
    [InlineData("2.675", "2.68")]
    [InlineData("10", "10.00")]
    public void RoundedFrom_HalfCent_RoundsAwayFromZero(string exact, string expected)
    {
        Assert.Equal(Parse(expected), Money.RoundedFrom(Parse(exact)).Euros);
    }

    [Theory]
    [InlineData("10.005")]
    [InlineData("0.001")]
    [InlineData("-1.999")]
    public void Euro_FractionOfCent_Throws(string euros)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Money.Euro(Parse(euros)));
    }

    [Fact]
    public void Euro_NegativeWholeCents_IsAllowedForCredits()
    {
        var credit = Money.Euro(-12.50m);

        Assert.Equal(-12.50m, credit.Euros);
        Assert.Equal("-12.50", credit.ToString());
        Assert.True(credit < Money.Zero);
    }

    [Fact]
    public void Prorate_ThirtySixOverFiveMonths_IsExactFifteen()
    {
        // 36.00 x 5 / 12 = 15.00 with no repeating decimal in between
        Assert.Equal(15m, Money.Euro(36m).Prorate(5, 12).Euros);
    }

    [Fact]
    public void Prorate_SevenFiftyOverFiveMonths_RoundsHalfCentUp()
    {
        // 7.50 x 5 / 12 = 3.125 -> 3.13
        Assert.Equal(3.13m, Money.Euro(7.50m).Prorate(5, 12).Euros);
    }

    [Fact]
    public void Prorate_ZeroDenominator_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Money.Euro(1m).Prorate(1, 0));
    }

    [Fact]
    public void Sum_RoundedParts_IsNotReRounded()
    {
        // 3.13 + 3.13 = 6.26, while the exact 3.125 + 3.125 would round to 6.25
        var parts = new[] { Money.RoundedFrom(3.125m), Money.RoundedFrom(3.125m) };

        Assert.Equal(6.26m, Money.Sum(parts).Euros);
    }

    [Fact]
    public void ToItalianString_UsesItalianSeparators()
    {
        Assert.Equal("EUR 1.234,50", Money.Euro(1234.50m).ToItalianString());
    }

    private static decimal Parse(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
