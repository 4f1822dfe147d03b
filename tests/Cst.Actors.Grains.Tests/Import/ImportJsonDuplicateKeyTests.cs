using Cst.Actors.Contracts.Import;

namespace Cst.Actors.Grains.Tests.Import;

public sealed class ImportJsonDuplicateKeyTests
{
    [Fact]
    public void Parse_DuplicateKey_IsRefusedNamingTheKeyAndLine_NotLastValueKept()
    {
        const string json = """
            {
              "format": "cst-import/1",
              "enti": [
                {
                  "name": "Comune di Adria",
                  "istatCode": "029001",
                  "adheredOn": "2021-01-01",
                  "services": [
                    { "service": "s.13", "variant": "base", "activatedOn": "2022-01-01", "quantity": 1, "quantity": 100 }
                  ]
                }
              ]
            }
            """;

        var result = ImportJson.Parse(json);

        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.Equal(9, error.Line);
        Assert.Contains("\"quantity\" is given twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SameKeyInSiblingObjects_IsFine()
    {
        const string json = """
            { "format": "cst-import/1", "enti": [ { "name": "A", "istatCode": "029001", "adheredOn": "2021-01-01" },
                                                  { "name": "B", "istatCode": "029002", "adheredOn": "2021-01-01" } ] }
            """;

        Assert.True(ImportJson.Parse(json).Success);
    }

    [Theory]
    [InlineData("quantity", "1e+30")]
    [InlineData("agreedPrice", "1E40")]
    public void Parse_NumberTooLargeForAnyAmount_SaysTooLarge_NotExpectedANumber(string property, string number)
    {
        var json = "{ \"format\": \"cst-import/1\", \"enti\": [ { \"name\": \"A\", \"istatCode\": \"029001\", \"adheredOn\": \"2021-01-01\",\n"
            + $"  \"services\": [ {{ \"service\": \"s.10\", \"activatedOn\": \"2022-01-01\", \"{property}\": {number} }} ] }} ] }}";

        var error = Assert.Single(ImportJson.Parse(json).Errors);

        Assert.Equal(2, error.Line);
        Assert.Contains($"{property} is {number}; it is too large", error.Message, StringComparison.Ordinal);
    }
}
