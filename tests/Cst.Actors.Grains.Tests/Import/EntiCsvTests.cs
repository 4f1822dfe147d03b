using System.Text;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Domain.Enti;
using NodaTime;

namespace Cst.Actors.Grains.Tests.Import;

public sealed class EntiCsvTests
{
    [Fact]
    public void Parse_WithBomQuotesAndItalianNumbers_ReadsEveryColumn()
    {
        var csv = "\uFEFFnome;tipo;codice_istat;codice_fiscale;data_adesione;popolazione;anno_popolazione;referente_pec;referente_email;referente_nome;capofila\r\n"
            + "Comune di Agna;Comune;028002;;01/01/2021;3.400;2026;protocollo@pec.comune.agna.example;ced@comune.agna.example;\"Rossi; Mario\";\r\n"
            + "\"Unione \"\"Bassa Padovana\"\"\";Unione di Comuni;;93000120290;2022-03-01;12345,0;2025;;;;\r\n";

        var result = EntiCsv.Parse(csv);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        var agna = result.Document!.Enti[0];
        Assert.Equal("Comune di Agna", agna.Name);
        Assert.Equal("028002", agna.IstatCode);
        Assert.Equal(new LocalDate(2021, 1, 1), agna.AdheredOn);
        Assert.Equal((2026, 3_400), (agna.Population[0].Year, agna.Population[0].Inhabitants));
        Assert.Equal("Rossi; Mario", agna.ReferenteName);
        Assert.Null(agna.Capofila);
        var unione = result.Document.Enti[1];
        Assert.Equal("Unione \"Bassa Padovana\"", unione.Name);
        Assert.Equal(EnteKind.UnioneDiComuni, unione.Kind);
        Assert.Equal(12_345, unione.Population[0].Inhabitants);
    }

    [Fact]
    public void Parse_BadRows_NameLineAndColumn_AndKeepTheGoodRows()
    {
        var csv = "nome;codice_istat;data_adesione;popolazione;anno_popolazione\n"
            + "Comune di Agna;028002;2021-01-01;3400;2026\n"
            + "Comune di Anguillara Veneta;028004;31/02/2021;4600;2026\n"
            + "Comune di Arquà Petrarca;028005;2021-01-01;1.845,5;2026\n";

        var result = EntiCsv.Parse(csv);

        Assert.Single(result.Document!.Enti);
        Assert.Collection(result.Errors,
            e => Assert.Equal((3, 3, "data_adesione"), (e.Line, e.Column, e.Location)),
            e => Assert.Equal((4, 4, "popolazione"), (e.Line, e.Column, e.Location)));
        Assert.Contains("31/02/2021", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("1.845,5", result.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownColumnOrMissingRequiredOne_RefusesTheHeader()
    {
        var result = EntiCsv.Parse("nome;codice_istatt\nComune di Agna;028002\n");

        Assert.Null(result.Document);
        Assert.Contains(result.Errors, e => e.Line == 1 && e.Column == 2 && e.Message.Contains("codice_istatt", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Location == "data_adesione");
    }

    [Fact]
    public void Parse_RowWithTooFewFields_SaysSo()
    {
        var result = EntiCsv.Parse("nome;codice_istat;data_adesione\nComune di Agna;028002\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("2 fields", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParseFile_Windows1252FromExcel_ReadsForli_AndSaysItWasConverted()
    {
        var path = await WriteAsync(Windows1252.GetBytes("nome;codice_istat;data_adesione\r\nComune di Forlì;040012;2021-01-01\r\n"));

        var result = await EntiCsv.ParseFileAsync(path);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal("Comune di Forlì", Assert.Single(result.Document!.Enti).Name);
        Assert.Contains(result.Notes, n => n.Contains("read as Windows-1252", StringComparison.Ordinal) && n.Contains("line 2: \"Comune di Forlì\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ParseFile_Utf8WithoutBom_IsReadAsItIs_WithoutANote()
    {
        var path = await WriteAsync(Encoding.UTF8.GetBytes("nome;codice_istat;data_adesione\nComune di Forlì;040012;2021-01-01\n"));

        var result = await EntiCsv.ParseFileAsync(path);

        Assert.Equal("Comune di Forlì", Assert.Single(result.Document!.Enti).Name);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public async Task ParseFile_ByteNeitherUtf8NorWindows1252_IsRefusedNamingItsLine()
    {
        // 0x81 is undefined in Windows-1252 (and a C1 control in ISO-8859-1): no office writes it in a name.
        var bytes = Encoding.ASCII.GetBytes("nome;codice_istat;data_adesione\nComune di Agna;028002;2021-01-01\nComune di Arre")
            .Concat(new byte[] { 0x81 }).Concat(Encoding.ASCII.GetBytes(";028006;2021-01-01\n")).ToArray();

        var result = await EntiCsv.ParseFileAsync(await WriteAsync(bytes));

        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.DoesNotContain(result.Errors, e => e.Message.Contains('\uFFFD', StringComparison.Ordinal));
    }

    [Fact]
    public async Task ParseFile_Utf8AndWindows1252Mixed_IsRefusedNamingTheLineThatIsNotUtf8()
    {
        var bytes = Encoding.UTF8.GetBytes("nome;codice_istat;data_adesione\nComune di Forlì;040012;2021-01-01\n")
            .Concat(Windows1252.GetBytes("Comune di Arquà Petrarca;028005;2021-01-01\n")).ToArray();

        var result = await EntiCsv.ParseFileAsync(await WriteAsync(bytes));

        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, 15), (error.Line, error.Column));
        Assert.Contains("mixes two encodings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_QuotedCellWithLineBreak_IsOneField_AndLaterRowsKeepTheirFileLines()
    {
        var csv = "nome;codice_istat;data_adesione;referente_nome\r\n"
            + "Comune di Agna;028002;2021-01-01;\"Ufficio CED\r\nsecondo piano\"\r\n"
            + "Comune di Arre;028006;31/02/2021;\r\n";

        var result = EntiCsv.Parse(csv);

        var agna = Assert.Single(result.Document!.Enti);
        Assert.Equal("Ufficio CED\r\nsecondo piano", agna.ReferenteName);
        Assert.Equal(2, Assert.Single(result.Lines));
        var error = Assert.Single(result.Errors);
        Assert.Equal((4, 3, "data_adesione"), (error.Line, error.Column, error.Location));
        Assert.Equal(4, Assert.Single(result.LeftOut).Line);
    }

    [Fact]
    public void Parse_StrayQuoteInAField_IsReportedWithItsLine()
    {
        var result = EntiCsv.Parse("nome;codice_istat;data_adesione\nComune di Agna;028002;2021-01-01\nComune \"Arre;028006;2021-01-01\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("double quote", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CommaSeparatedFile_SaysSoInsteadOfAnUnknownColumn()
    {
        var result = EntiCsv.Parse("nome,codice_istat,data_adesione\nComune di Agna,028002,2021-01-01\n");

        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.Line);
        Assert.Contains("this file is separated by commas; the CST format uses ';'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExcelSeparatorLine_IsAccepted_AndLinesKeepTheirNumbers()
    {
        var result = EntiCsv.Parse("sep=;\r\nnome;codice_istat;data_adesione\r\nComune di Agna;028002;2021-01-01\r\n");

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal(3, Assert.Single(result.Lines));
        Assert.Contains("separated by commas", Assert.Single(EntiCsv.Parse("sep=,\nnome,data_adesione\n").Errors).Message, StringComparison.Ordinal);
    }

    private static Encoding Windows1252
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(1252);
        }
    }

    private static async Task<string> WriteAsync(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cst-enti-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }
}
