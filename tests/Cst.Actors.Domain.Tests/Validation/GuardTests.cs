using Cst.Actors.Domain.Validation;
using NodaTime;

namespace Cst.Actors.Domain.Tests.Validation;

public sealed class GuardTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public void Quantity_NonNegativeInt_ReturnsIt(int value)
    {
        Assert.Equal(value, Guard.Quantity(value, "number of mailboxes"));
    }

    [Fact]
    public void Quantity_NegativeInt_ThrowsNamingFieldAndValue()
    {
        var error = Assert.Throws<OutOfRangeException>(() => Guard.Quantity(-1, "number of mailboxes"));

        Assert.Equal("number of mailboxes is -1; it cannot be negative", error.Message);
        Assert.Equal("number of mailboxes", error.Field);
        Assert.Equal("-1", error.ActualValue);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("0.5", true)]
    [InlineData("-0.5", false)]
    public void ValidateQuantity_Decimal_RefusesOnlyNegatives(string value, bool valid)
    {
        var amount = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

        var result = Guard.ValidateQuantity(amount, "GB of conservazione");

        Assert.Equal(valid, result.Success);
        if (!valid)
        {
            Assert.Equal("GB of conservazione is -0.5; it cannot be negative", result.ErrorMessage);
        }
    }

    [Theory]
    [InlineData(0, "CLAVIS users is 0; it must be at least 1")]
    [InlineData(-3, "CLAVIS users is -3; it must be at least 1")]
    public void PositiveQuantity_ZeroOrNegativeInt_Throws(int value, string message)
    {
        var error = Assert.Throws<OutOfRangeException>(() => Guard.PositiveQuantity(value, "CLAVIS users"));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void PositiveQuantity_ZeroDecimal_Throws()
    {
        var error = Assert.Throws<OutOfRangeException>(() => Guard.PositiveQuantity(0m, "TB of backup"));

        Assert.Equal("TB of backup is 0; it must be greater than zero", error.Message);
    }

    [Fact]
    public void PositiveQuantity_OneCentOfAUnit_IsAccepted()
    {
        Assert.Equal(0.01m, Guard.PositiveQuantity(0.01m, "TB of backup"));
        Assert.Equal(1, Guard.PositiveQuantity(1, "CLAVIS users"));
    }

    [Theory]
    [InlineData(2000, 1, 1, true)]
    [InlineData(2100, 12, 31, true)]
    [InlineData(2026, 2, 28, true)]
    [InlineData(1999, 12, 31, false)]
    [InlineData(2101, 1, 1, false)]
    [InlineData(1900, 1, 1, false)]
    public void ValidateDate_PlausibleRange_IncludesBothEnds(int year, int month, int day, bool valid)
    {
        var result = Guard.ValidateDate(new LocalDate(year, month, day), "activation date");

        Assert.Equal(valid, result.Success);
    }

    [Fact]
    public void Date_Before2000_ThrowsNamingFieldValueAndRange()
    {
        var error = Assert.Throws<OutOfRangeException>(() => Guard.Date(new LocalDate(1999, 12, 31), "activation date"));

        Assert.Equal("activation date is 1999-12-31; it must be between 2000-01-01 and 2100-12-31", error.Message);
        Assert.Equal("1999-12-31", error.ActualValue);
    }

    [Fact]
    public void NotBefore_EarlierDate_ThrowsNamingBothDates()
    {
        var error = Assert.Throws<OutOfRangeException>(() =>
            Guard.NotBefore(new LocalDate(2026, 3, 1), "cessation date", new LocalDate(2026, 3, 20), "activation date"));

        Assert.Equal("cessation date is 2026-03-01; it cannot be before the activation date 2026-03-20", error.Message);
    }

    [Fact]
    public void NotBefore_SameDate_IsAccepted()
    {
        var date = new LocalDate(2026, 3, 20);

        Assert.Equal(date, Guard.NotBefore(date, "cessation date", date, "activation date"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Quantity_NoFieldName_ThrowsArgumentExceptionEvenWhenValid(string field)
    {
        Assert.Throws<ArgumentException>(() => Guard.Quantity(1, field));
        Assert.Throws<ArgumentException>(() => Guard.Quantity(-1, field));
    }
}
