using Cst.Actors.Domain.Catalogue;

namespace Cst.Actors.Domain.Tests.Catalogue;

/// <summary>
/// Broken listino files give a typed error naming file, line and field. Each test breaks one line of a small
/// valid file; line numbers are those of the text below (1-based, as an editor shows them).
/// </summary>
public class ListinoLoaderErrorTests
{
    private const string File = "test.yaml";

    private static readonly string[] Valid =
    [
        "listino: test",                          // 1
        "name: Test listino",                     // 2
        "versions:",                              // 3
        "  - version: \"v1\"",                    // 4
        "    effective_from: 2025-01-01",         // 5
        "    adopted_by: \"Test act\"",           // 6
        "    month_counting: more-than-half",     // 7
        "    services:",                          // 8
        "      - id: s.1",                        // 9
        "        name: Service one",              // 10
        "        section: \"s.1\"",               // 11
        "        components:",                    // 12
        "          - id: fee",                    // 13
        "            name: Fee",                  // 14
        "            kind: annual",               // 15
        "            price: 10.00",               // 16
    ];

    private const string ComponentPath = "versions[0].services[0].components[0]";

    private static string Text(IEnumerable<string> lines) => string.Join('\n', lines) + "\n";

    private static string WithLine(int line, string replacement) =>
        Text(Valid.Select((text, i) => i + 1 == line ? replacement : text));

    private static string Without(int line) => Text(Valid.Where((_, i) => i + 1 != line));

    private static string WithExtra(params string[] extra) => Text(Valid.Concat(extra));

    private static T Fails<T>(string text, long line, string field)
        where T : ListinoLoadException
    {
        var error = Assert.Throws<T>(() => ListinoLoader.ParseFile(File, text));
        Assert.Equal((File, line, field), (error.File, error.Line, error.Field));
        Assert.StartsWith($"{File}, line {line}, field '{field}':", error.Message, StringComparison.Ordinal);
        return error;
    }

    [Fact]
    public void ParseFile_ValidText_LoadsTheTariff()
    {
        var listino = ListinoLoader.ParseFile(File, Text(Valid));

        var component = Assert.Single(Assert.Single(Assert.Single(listino.Versions).Services).Components);
        Assert.Equal((ChargeKind.AnnualProRata, 10m), (component.Kind, component.Price!.Value.Euros));
    }

    [Fact]
    public void ParseFile_UnknownKind_NamesKindField()
    {
        var error = Fails<UnknownChargeKindException>(WithLine(15, "            kind: yearly"), 15, ComponentPath + ".kind");
        Assert.Contains("yearly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_MissingPrice_NamesPriceField()
    {
        // The component's mapping starts on line 13.
        Fails<ListinoMissingFieldException>(Without(16), 13, ComponentPath + ".price");
    }

    [Fact]
    public void ParseFile_EmptyPrice_NamesPriceField()
    {
        Fails<ListinoInvalidValueException>(WithLine(16, "            price:"), 16, ComponentPath + ".price");
    }

    [Fact]
    public void ParseFile_NegativePrice_NamesPriceField()
    {
        var error = Fails<ListinoInvalidValueException>(WithLine(16, "            price: -10.00"), 16, ComponentPath + ".price");
        Assert.Equal(
            "test.yaml, line 16, field 'versions[0].services[0].components[0].price': a price cannot be negative (-10.00).",
            error.Message);
    }

    [Fact]
    public void ParseFile_FractionOfCent_NamesPriceField()
    {
        var error = Fails<ListinoInvalidValueException>(WithLine(16, "            price: 10.005"), 16, ComponentPath + ".price");
        Assert.Contains("cents", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_PriceWithComma_NamesPriceField()
    {
        Fails<ListinoInvalidValueException>(WithLine(16, "            price: 10,50"), 16, ComponentPath + ".price");
    }

    [Fact]
    public void ParseFile_DuplicateServiceId_NamesSecondService()
    {
        var text = WithExtra(
            "      - id: s.1",                                        // 17
            "        name: Again",
            "        section: \"s.1\"",
            "        components:",
            "          - id: fee",
            "            name: Fee",
            "            kind: one-off",
            "            price: 5.00");

        Fails<DuplicateCatalogueIdException>(text, 17, "versions[0].services[1].id");
    }

    [Fact]
    public void ParseFile_DuplicateComponentId_NamesSecondComponent()
    {
        var text = WithExtra(
            "          - id: fee",                                    // 17
            "            name: Fee again",
            "            kind: one-off",
            "            price: 5.00");

        Fails<DuplicateCatalogueIdException>(text, 17, "versions[0].services[0].components[1].id");
    }

    [Fact]
    public void ParseFile_VersionsOutOfOrder_NamesLaterVersion()
    {
        var text = WithExtra(
            "  - version: \"v0\"",                                    // 17
            "    effective_from: 2024-01-01",
            "    adopted_by: \"Older act\"",
            "    month_counting: any-day",
            "    services:",
            "      - id: s.1",
            "        name: Service one",
            "        section: \"s.1\"",
            "        components:",
            "          - id: fee",
            "            name: Fee",
            "            kind: included");

        var error = Fails<ListinoVersionOrderException>(text, 17, "versions[1].effective_from");
        Assert.Contains("v0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_UnknownField_NamesIt()
    {
        Fails<ListinoUnexpectedFieldException>(WithLine(16, "            prize: 10.00"), 16, ComponentPath + ".prize");
    }

    [Fact]
    public void ParseFile_BadDate_NamesDateField()
    {
        Fails<ListinoInvalidValueException>(WithLine(5, "    effective_from: 2025-13-01"), 5, "versions[0].effective_from");
    }

    [Fact]
    public void ParseFile_UnknownMonthCounting_NamesField()
    {
        Fails<ListinoInvalidValueException>(WithLine(7, "    month_counting: most-days"), 7, "versions[0].month_counting");
    }

    [Fact]
    public void ParseFile_BlockWithoutSize_NamesBlockField()
    {
        Fails<ListinoMissingFieldException>(WithExtra("            per: block"), 13, ComponentPath + ".block");
    }

    [Fact]
    public void ParseFile_UndeclaredVariant_NamesVariantsField()
    {
        Fails<ListinoInvalidValueException>(WithExtra("            variants: [gold]"), 17, ComponentPath + ".variants");
    }

    [Fact]
    public void ParseFile_PriceOnIncludedComponent_NamesPriceField()
    {
        Fails<ListinoUnexpectedFieldException>(WithLine(15, "            kind: included"), 16, ComponentPath + ".price");
    }

    [Fact]
    public void ParseFile_MissingServiceName_NamesField()
    {
        Fails<ListinoMissingFieldException>(Without(10), 9, "versions[0].services[0].name");
    }

    [Fact]
    public void ParseFile_BadIndentation_IsSyntaxErrorWithLine()
    {
        var error = Assert.Throws<ListinoSyntaxException>(() => ListinoLoader.ParseFile(File, WithLine(14, "           name: Fee")));

        Assert.Equal(File, error.File);
        Assert.InRange(error.Line, 13, 15);
        Assert.Contains("test.yaml, line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_DuplicateKey_IsSyntaxError()
    {
        Assert.Throws<ListinoSyntaxException>(() => ListinoLoader.ParseFile(File, WithLine(14, "            kind: one-off")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("just a string")]
    [InlineData("- a\n- b\n")]
    [InlineData("listino: [unclosed\n")]
    [InlineData("listino: x\nname: y\nversions: 3\n")]
    [InlineData("listino: x\nname: y\nversions: []\n")]
    [InlineData("\"unterminated")]
    [InlineData("a: b\n---\nc: d\n")]
    public void ParseFile_Garbage_GivesListinoErrorNeverRawYamlException(string text)
    {
        var error = Record.Exception(() => ListinoLoader.ParseFile(File, text));

        Assert.IsAssignableFrom<ListinoLoadException>(error);
        Assert.StartsWith(File + ", line ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFiles_SameVersionInTwoFiles_NamesBothFiles()
    {
        var error = Assert.Throws<ListinoVersionOrderException>(() =>
            ListinoLoader.LoadFiles([("a.yaml", Text(Valid)), ("b.yaml", Text(Valid))]));

        Assert.Equal("b.yaml", error.File);
        Assert.Contains("a.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFiles_VersionsInSeparateFiles_AreMergedInDateOrder()
    {
        var later = WithLine(4, "  - version: \"v2\"").Replace("2025-01-01", "2026-01-01", StringComparison.Ordinal);

        var listino = Assert.Single(ListinoLoader.LoadFiles([("later.yaml", later), ("first.yaml", Text(Valid))]).Listini);

        Assert.Equal(new[] { "v1", "v2" }, listino.Versions.Select(v => v.Id));
        Assert.Equal(new[] { "first.yaml", "later.yaml" }, listino.Versions.Select(v => v.SourceFile));
    }
}
