using Cst.Actors.Contracts.Billing;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Platform.Tests.Documents;
using static Cst.Actors.Grains.Tests.TestEnti;

namespace Cst.Actors.Grains.Tests.Billing;

/// <summary>
/// The PDF of a capofila's statement, rendered by the cluster from a closed final run and read back with pdftotext.
/// Beta pays for itself and, as capofila, for Alfa and Gamma (hand-worked enti): 1,500.00 + 783.13 + 761.00 = 3,044.13,
/// due 30 days after the closing day (the test issuer's payment terms).
/// </summary>
[Collection(BillingCollection.Name)]
public sealed class StatementDocumentTests(GrainsCluster fixture) : IClassFixture<GrainsCluster>
{
    [Fact]
    public async Task Render_ClosedCapofilaStatement_ShowsPayerNumberEveryObjectTotalAndDueDate()
    {
        var enti = await HandWorkedEnti.CreateAsync(fixture.Client);
        await fixture.Client.GetGrain<IEnteGrain>(enti.Alfa).SetPayerAsync(enti.Beta, 2025, Operator);
        var beta = fixture.Client.GetGrain<IEnteGrain>(enti.Beta);
        var cf = NewCodiceFiscale();
        await beta.EditAsync((await beta.GetAsync()).Registration with { CodiceFiscale = cf, ReferentePec = "ragioneria@pec.comune.beta.it" }, Operator);
        var objects = await ObjectsAsync(enti.Alfa, enti.Beta, enti.Gamma);
        var documents = fixture.Client.GetGrain<IStatementDocumentGrain>(BillingRunKey.For(2025, BillingRunMode.Final));
        await BillingRuns.RunAsync(fixture.Client, 2025, BillingRunMode.Final);

        // Before the close: a draft, unnumbered and not valid for payment.
        var draft = PdfText.Flat(PdfText.Extract((await documents.RenderAsync(null, enti.Beta)).Content));
        Assert.Contains("bozza, non valida ai fini del pagamento", draft, StringComparison.Ordinal);
        Assert.DoesNotContain("Documento n.", draft, StringComparison.Ordinal);

        await fixture.Client.GetGrain<IBillingRunGrain>(BillingRunKey.For(2025, BillingRunMode.Final)).CloseAsync(Operator);
        var file = await documents.RenderAsync(null, enti.Beta);
        var text = PdfText.Extract(file.Content);
        var flat = PdfText.Flat(text);

        var issued = file.Issued!;
        Assert.Equal($"rendiconto-2025-r1-n{issued.Number}-2026-{enti.Beta}.pdf", file.FileName);
        Assert.Contains($"Codice fiscale: {cf}", flat, StringComparison.Ordinal);
        Assert.Contains("PEC: ragioneria@pec.comune.beta.it", flat, StringComparison.Ordinal);
        Assert.Contains($"Documento n. {issued.Number}/2026 del {fixture.Today:dd/MM/yyyy} — anno 2025, revisione 1", flat, StringComparison.Ordinal);
        // The first column of the table (Oggetto, 42-150 pt from the left): a long address wraps inside it, whole.
        var column = PdfText.ExtractRegion(file.Content, 42, 0, 108, 842);
        var compact = string.Concat(column.Where(c => !char.IsWhiteSpace(c)));
        foreach (var o in objects)
        {
            Assert.Contains(string.Concat(o.Where(c => !char.IsWhiteSpace(c))), compact, StringComparison.Ordinal);
        }

        Assert.Contains("Ente associato: Comune di Alfa", flat, StringComparison.Ordinal);
        Assert.Contains("Ente associato: Comune di Gamma", flat, StringComparison.Ordinal);
        Assert.Contains("EUR 3.044,13", flat, StringComparison.Ordinal);
        Assert.Contains($"Da pagare entro il {fixture.Today.PlusDays(30):dd/MM/yyyy}", flat, StringComparison.Ordinal);
        Assert.Contains("IBAN IT60 X054 2811 1010 0000 0123 456", flat, StringComparison.Ordinal);
        Assert.DoesNotContain("non valida ai fini del pagamento", flat, StringComparison.Ordinal);

        // Alfa and Gamma have no statement of their own to render: Beta pays.
        await Assert.ThrowsAsync<CstDomainError>(() => documents.RenderAsync(null, enti.Alfa));

        // Accounting gives the PagoPA notice code of Beta's document: the PDF shows it with the ente creditore code.
        Assert.DoesNotContain("pagoPA", flat, StringComparison.Ordinal);
        var malformed = await Assert.ThrowsAsync<CstDomainError>(() => documents.SetNoticeCodeAsync(null, enti.Beta, "30100000000001234X", Operator));
        Assert.Contains("18 digits, not '30100000000001234X'", malformed.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CstDomainError>(() => documents.SetNoticeCodeAsync(null, enti.Alfa, "301000000000012345", Operator));
        var recorded = await documents.SetNoticeCodeAsync(null, enti.Beta, "301000000000012345", Operator);
        Assert.Equal(("301000000000012345", issued.Number), (recorded.NoticeCode, recorded.Number));
        var withNotice = PdfText.Flat(PdfText.Extract((await documents.RenderAsync(null, enti.Beta)).Content));
        Assert.Contains("In alternativa con pagoPA: codice avviso 301000000000012345, codice fiscale dell'ente creditore 80006510285.", withNotice, StringComparison.Ordinal);
        Assert.Equal("301000000000012345", (await documents.GetIssuedAsync(null)).Single(d => d.PayerId == enti.Beta).NoticeCode);
    }

    /// <summary>The objects the enti's lines are for: the mailboxes by address, the services by label.</summary>
    private async Task<List<string>> ObjectsAsync(params string[] enti)
    {
        var objects = new List<string>();
        foreach (var ente in enti)
        {
            var view = await fixture.Client.GetGrain<IEnteGrain>(ente).GetAsync();
            objects.AddRange(view.Children.Select(c => c.Key.Contains('@', StringComparison.Ordinal) ? c.Key : $"servizio {c.Key.Split('/')[1]} \"{c.Key.Split('/')[2]}\""));
        }

        Assert.Equal(5, objects.Count);
        return objects;
    }
}
