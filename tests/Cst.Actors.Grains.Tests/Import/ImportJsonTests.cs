using System.Text.RegularExpressions;
using Cst.Actors.Contracts.Import;

namespace Cst.Actors.Grains.Tests.Import;

public sealed partial class ImportJsonTests
{
    [Fact]
    public void Parse_ExampleFile_ReadsEveryEnteAndObject()
    {
        var result = ImportJson.Parse(File.ReadAllText(ImportFiles.ExamplePath));

        Assert.True(result.Success, string.Join("\n", result.Errors));
        var enti = result.Document!.Enti;
        Assert.Equal(3, enti.Count);
        var adria = enti[1];
        Assert.Equal("029001", adria.IstatCode);
        Assert.Equal(5, adria.Mailboxes.Count);
        Assert.Equal(3, adria.Devices.Count);
        Assert.Equal(7, adria.Services.Count);
        Assert.Equal(1.5m, adria.Services[3].Consumption[1].Quantity);
        Assert.Equal("93000120290", enti[2].Capofila);
        Assert.Equal(3, result.Lines.Count);
        Assert.Equal(4, result.Lines[0]); // "enti": [ is line 3, the first ente's "{" line 4
    }

    [Fact]
    public async Task ParseFile_BytesThatAreNotUtf8_AreRefusedNamingLineAndColumn_NotStoredAsReplacementCharacters()
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes("{\n  \"format\": \"cst-import/1\",\n  \"enti\": [ { \"name\": \"Comune di Forl")
            .Concat(new byte[] { 0xEC }) // "ì" in Windows-1252
            .Concat(System.Text.Encoding.ASCII.GetBytes("\", \"istatCode\": \"040012\", \"adheredOn\": \"2021-01-01\" } ]\n}\n")).ToArray();
        var path = Path.Combine(Path.GetTempPath(), $"cst-import-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(path, bytes);

        var result = await ImportJson.ParseFileAsync(path);

        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, 38), (error.Line, error.Column));
        Assert.Contains("0xEC", error.Message, StringComparison.Ordinal);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatDocument_ContainsTheExampleFileVerbatim()
    {
        var document = File.ReadAllText(ImportFiles.FormatDocumentPath);
        var blocks = JsonBlock().Matches(document).Select(m => m.Groups[1].Value).ToList();

        Assert.Contains(File.ReadAllText(ImportFiles.ExamplePath), blocks);
    }

    [Fact]
    public void Write_ThenParse_GivesTheSameDocument()
    {
        var example = ImportJson.Parse(File.ReadAllText(ImportFiles.ExamplePath)).Document!;
        var written = ImportJson.Write(example);

        Assert.Equal(written, ImportJson.Write(ImportJson.Parse(written).Document!));
    }

    [Fact]
    public void Parse_BadDate_NamesLineColumnPathAndValue()
    {
        const string json = """
            {
              "format": "cst-import/1",
              "enti": [
                { "name": "Comune di Agna", "istatCode": "028002", "adheredOn": "2021-13-01" }
              ]
            }
            """;

        var error = Assert.Single(ImportJson.Parse(json).Errors);

        Assert.Equal(4, error.Line);
        Assert.True(error.Column > 1);
        Assert.Equal("$.enti[0].adheredOn", error.Location);
        Assert.Contains("\"2021-13-01\" is not a date", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NumberAsText_NamesThePropertyAndShowsTheLine()
    {
        const string json = """
            { "format": "cst-import/1", "enti": [ { "name": "X", "istatCode": "028002", "adheredOn": "2021-01-01",
              "population": [ { "year": 2026,
                "inhabitants": "tremila" } ] } ] }
            """;

        var error = Assert.Single(ImportJson.Parse(json).Errors);

        Assert.Equal(3, error.Line);
        Assert.Equal("$.enti[0].population[0].inhabitants", error.Location);
        Assert.Contains("\"tremila\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("whole number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MisspelledProperty_IsRefusedNotIgnored()
    {
        const string json = """{ "format": "cst-import/1", "enti": [ { "name": "X", "adheredOnn": "2021-01-01" } ] }""";

        var error = Assert.Single(ImportJson.Parse(json).Errors);

        Assert.Contains("adheredOnn", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Parse_UnknownKindOfEnte_ListsTheKinds()
    {
        const string json = """{ "format": "cst-import/1", "enti": [ { "name": "X", "kind": "Regione" } ] }""";

        var error = Assert.Single(ImportJson.Parse(json).Errors);

        Assert.Equal("$.enti[0].kind", error.Location);
        Assert.Contains("UnioneDiComuni", error.Message, StringComparison.Ordinal);
        Assert.Contains("Regione", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OtherFormat_IsRefused()
    {
        var error = Assert.Single(ImportJson.Parse("""{ "format": "cst-import/9", "enti": [] }""").Errors);

        Assert.Equal("$.format", error.Location);
        Assert.Contains("cst-import/9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BrokenJson_GivesTheLine()
    {
        var error = Assert.Single(ImportJson.Parse("{\n  \"format\": \"cst-import/1\",\n  \"enti\": [ { \"name\": \"X\" } \n}").Errors);

        Assert.Equal(4, error.Line);
    }

    [GeneratedRegex("```json\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
