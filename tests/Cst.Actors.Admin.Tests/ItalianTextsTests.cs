using Cst.Actors.Admin.Tui;
using Cst.Actors.Admin.ViewModels;
using R = Cst.Actors.Domain.RefusalCode;

namespace Cst.Actors.Admin.Tests;

/// <summary>
/// What the cluster stores in English shown in Italian: deadline notices, the catalogue's own words, billing failures
/// stored without their code, the fields named by input refusals, the export dialog's sentences.
/// </summary>
public sealed class ItalianTextsTests
{
    private static readonly Texts It = Texts.Italian;

    [Theory]
    [InlineData(
        "PEC mailbox a@pec.it: the disdetta deadline is 2026-12-31, in 30 days; without a disdetta by then the service renews on 2027-01-01 for the whole of 2027",
        "casella PEC a@pec.it: il termine per la disdetta è il 31/12/2026, tra 30 giorni; senza disdetta entro quel giorno il servizio si rinnova il 01/01/2027 per tutto il 2027")]
    [InlineData(
        "service 028001/s.14/1: last day to receive a disdetta; otherwise the service renews on 2027-01-01 for the whole of 2027",
        "servizio 028001/s.14/1: ultimo giorno per ricevere una disdetta; altrimenti il servizio si rinnova il 01/01/2027 per tutto il 2027")]
    [InlineData(
        "service 028001/s.14/1: ceases on 2027-01-01, after the disdetta received on 2026-11-30; last active day 2026-12-31",
        "servizio 028001/s.14/1: cessa il 01/01/2027, dopo la disdetta ricevuta il 30/11/2026; ultimo giorno attivo il 31/12/2026")]
    [InlineData(
        "BusinessKey BK-1: certificates expire on 2027-01-20, in 30 days; renew by 2027-01-19",
        "BusinessKey BK-1: i certificati scadono il 20/01/2027, tra 30 giorni; rinnovare entro il 19/01/2027")]
    [InlineData(
        "BusinessKey BK-1: certificates expired on 2027-01-20; the device can no longer be renewed, a new one is needed",
        "BusinessKey BK-1: certificati scaduti il 20/01/2027; il dispositivo non si può più rinnovare, ne serve uno nuovo")]
    public void Notice_StoredInEnglish_ReadsInItalian_AndStaysAsStoredInEnglish(string stored, string italian)
    {
        Assert.Equal(italian, It.Notice(stored));
        Assert.Equal(stored, Texts.English.Notice(stored));
    }

    [Theory]
    [InlineData("version", "versione")]
    [InlineData("adopted: Disciplinare tecnico", "adottata: Disciplinare tecnico")]
    [InlineData("loaded by admin from listino.json, adopted by rossi", "caricata da admin dal file listino.json, adottata da rossi")]
    [InlineData("Membership quota", "Quota associativa")]
    [InlineData("per inhabitant by population band", "per abitante, secondo la fascia di popolazione")]
    [InlineData("Canone: EUR 1,234.50/anno; Progetto: on quotation", "Canone: EUR 1.234,50/anno; Progetto: a preventivo")]
    [InlineData("2020-10 (2020-10-01)", "2020-10 (01/10/2020)")]
    public void CatalogueRow_OwnWordsInItalian(string stored, string italian) => Assert.Equal(italian, It.Catalogue(stored));

    [Fact]
    public void BillingFailure_StoredWithoutItsCode_IsSaidAgainFromTheCodesSentence()
    {
        // The run keeps only the grain's English message; the console finds the code whose sentence it is.
        var unknown = Texts.English.Refusal(R.EnteUnknown, ["028999"])!;
        var withdrew = Texts.English.Refusal(R.EnteWithdrewAlready, ["ente 028001", "2025-12-31", "2026-03-01"])!;

        Assert.Equal(It.Refusal(R.EnteUnknown, ["028999"]), It.Error(unknown));
        Assert.Equal(It.Refusal(R.EnteWithdrewAlready, ["ente 028001", "2025-12-31", "2026-03-01"]), It.Error(withdrew));
        Assert.NotEqual(withdrew, It.Error(withdrew));
        Assert.Equal(withdrew, Texts.English.Error(withdrew));
    }

    [Theory]
    [InlineData("Received on must be a date such as 2026-12-31 or 31/12/2026, not 'domani'.", "Ricevuta il: una data come 31/12/2026, non 'domani'.")]
    [InlineData("Withdrawn on must be a date such as 2026-12-31 or 31/12/2026, not 'x'.", "Recesso dal: una data come 31/12/2026, non 'x'.")]
    [InlineData("Inhabitants must be a whole number from 0 to 5000000, not 'molti'.", "Abitanti: un numero intero da 0 a 5000000, non 'molti'.")]
    [InlineData("New quantity must be a number not below 0 (e.g. 12.5), not '-1'.", "Nuova quantità: un numero non negativo (es. 12,5), non '-1'.")]
    [InlineData("Reason is required.", "Motivo: obbligatorio.")]
    public void InputRefusal_NamesTheFieldByItsItalianLabel(string english, string italian) => Assert.Equal(italian, It.Message(english));

    [Fact]
    public void ExportDialog_ChoicesAndSentencesInItalian()
    {
        Assert.Equal("Esporta la fatturazione", It.Phrase("Export billing run"));
        Assert.Equal("csv: rendiconti e totali per Excel", It.Phrase(BillingViewModel.FormatText("csv")));
        Assert.Equal("Esportare 2026 (previsione) in formato csv nella cartella /tmp/x?", It.Message("Export 2026 preview as csv to /tmp/x?"));
        Assert.Equal("Esportata la revisione 0 in /tmp/x: 2 file", It.Message("Exported r0 to /tmp/x: 2 file(s)"));
        Assert.Equal("Revocare BK-1 il 10/11/2026 (rubato)?", It.Message("Revoke BK-1 on 2026-11-10 (Stolen)?"));
    }

    [Fact]
    public void AddEnte_KeyRefusals_InItalian()
    {
        Assert.Equal("un Comune si identifica con il codice ISTAT, e non è stato indicato", It.Error("a Comune is identified by its ISTAT code, and none was given"));
        Assert.Equal("un ente di tipo Provincia si identifica con il codice fiscale, e non è stato indicato",
            It.Error("a body of kind Provincia is identified by its codice fiscale, and none was given"));
    }

    [Fact]
    public void NoticeBody_DropsTheSubjectTheObjectColumnNames()
    {
        var text = It.Notice("service 028001/s.14/1: renews for the whole of 2027");

        Assert.Equal("si rinnova per tutto il 2027", Cst.Actors.Admin.Tui.Screens.NoticesScreen.Body(text, "028001/s.14/1"));
    }

    [Theory]
    [InlineData("record consumption", "consumo")]
    [InlineData("change tier", "cambio taglio")]
    [InlineData("start", "avvio")]
    public void AuditAction_InItalian_StoredAsTheGrainsNameIt(string stored, string italian)
    {
        Assert.Equal(italian, It.AuditAction(stored));
        Assert.Equal(stored, Texts.English.AuditAction(stored));
    }
}
