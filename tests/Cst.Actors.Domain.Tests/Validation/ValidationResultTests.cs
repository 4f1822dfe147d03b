using Cst.Actors.Domain.Validation;

namespace Cst.Actors.Domain.Tests.Validation;

public sealed class ValidationResultTests
{
    [Fact]
    public void Value_Success_ReturnsValue()
    {
        var result = ValidationResult<int>.ForValue(7);

        Assert.True(result.Success);
        Assert.Null(result.Error);
        Assert.Equal(string.Empty, result.ErrorMessage);
        Assert.Equal(7, result.Value);
        Assert.True(result.TryGetValue(out var value));
        Assert.Equal(7, value);
        Assert.Equal(7, result.ValueOr(0));
    }

    [Fact]
    public void Value_Failure_ThrowsTheError()
    {
        var error = new OutOfRangeException("users", "-1", "users is -1; it cannot be negative");
        var result = ValidationResult<int>.ForError(error);

        Assert.False(result.Success);
        Assert.Same(error, Assert.Throws<OutOfRangeException>(() => result.Value));
        Assert.False(result.TryGetValue(out _));
        Assert.Equal(42, result.ValueOr(42));
        Assert.Equal("invalid: users is -1; it cannot be negative", result.ToString());
    }

    [Fact]
    public void Map_Failure_CarriesTheErrorAcross()
    {
        var failed = IstatCode.Validate("28060").Map(code => code.ProvinceCode);
        var mapped = IstatCode.Validate("028060").Map(code => code.ProvinceCode);

        Assert.IsType<InvalidIstatCodeException>(failed.Error);
        Assert.Equal("028", mapped.Value);
    }
}
