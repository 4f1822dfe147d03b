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
}
