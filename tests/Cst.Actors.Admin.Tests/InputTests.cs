using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Admin.ViewModels;
using Cst.Actors.Domain.Validation;

namespace Cst.Actors.Admin.Tests;

/// <summary>What the operator types in a dialog is bounded as at import: limits on numbers, clean single-line texts.</summary>
public sealed class InputTests
{
    [Theory]
    [InlineData("1e+30")]
    [InlineData("100000000000.00")]
    [InlineData("10000,01")]
    public void Decimal_TooLarge_SaysTooLarge_NotThatItIsNoNumber(string typed)
    {
        var error = Assert.Throws<InputException>(() => Input.Decimal(typed, "Agreed price"));

        Assert.Contains("Agreed price is too large: at most 10,000", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12,5", 12.5)]
    [InlineData("10000", 10000)]
    public void Decimal_WithinLimit_IsRead(string typed, double expected)
    {
        Assert.Equal((decimal)expected, Input.Decimal(typed, "Quantity"));
    }

    [Fact]
    public void Decimal_NotANumber_StillSaysSo()
    {
        var error = Assert.Throws<InputException>(() => Input.Decimal("dodici", "Quantity"));

        Assert.Contains("must be a number", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Comune\u001b[2J di Prova", "U+001B at position 7")]
    [InlineData("Comune\rdi Prova", "U+000D at position 7")]
    [InlineData("\u2066Comune", "U+2066 at position 1")]
    public void Required_ControlOrBidiCharacter_IsRefusedNamingFieldAndPosition(string typed, string named)
    {
        var error = Assert.Throws<InputException>(() => Input.Required(typed, "Name", Guard.MaxNameLength));

        Assert.Contains("Name holds the character " + named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Required_TooLong_IsRefused()
    {
        var error = Assert.Throws<InputException>(() => Input.Required(new string('x', 201), "Name", Guard.MaxNameLength));

        Assert.Contains("at most 200", error.Message, StringComparison.Ordinal);
    }
}
