using System.Text.RegularExpressions;
using Cst.Actors.Documents;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Domain.Pricing;
using Cst.Actors.Domain.Tests.Billing;
using Cst.Actors.Platform.Tests.Documents;
using NodaTime;

namespace Cst.Actors.Domain.Tests.Documents;

/// <summary>
/// The statement PDF read back with poppler's pdftotext. The capofila Comune di Beta pays for two associated enti,
/// Alfa and Gamma (the hand-worked scenario of <see cref="BillingScenario"/>, with real object keys):
/// Beta 1,500.00 + Alfa 783.13 + Gamma 761.00 = 3,044.13 due.
/// </summary>
public class StatementPdfTests
{
    private const string AlfaBox = "protocollo@pec.comune.alfa.it";
    private const string GammaBox = "segreteria.generale.ufficio.protocollo@pec.comune.gamma.it";

    internal static PayerStatement Beta()
    {
        var alfa = BillingScenario.Alfa with
        {
            Subscriptions =
            [
                new Subscription("000001/s.13/antivirus sede municipale", "s.13", new LocalDate(2024, 1, 1)) { Variant = "base", Quantity = 12m },
                new Subscription(AlfaBox, "s.11", new LocalDate(2025, 8, 1)) { Variant = "pec-standard" },
            ],
        };
        var gamma = BillingScenario.Gamma with
        {
            Subscriptions = [new Subscription(GammaBox, "s.11", new LocalDate(2025, 7, 1)) { Variant = "pec-gold" }],
        };
        var beta = BillingScenario.Beta with
        {
            Subscriptions =
            [
                new Subscription("000002/s.7/SIT", "s.7", new LocalDate(2025, 3, 10)),
                new Subscription("000002/s.5/provider", "s.5", new LocalDate(2025, 9, 20)) { Variant = "pacchetto" },
            ],
        };
        return PayerGrouping.Group(
        [
            BillingScenario.Billed(beta, "Comune di Beta", "000002", "Comune di Beta"),
            BillingScenario.Billed(alfa, "Comune di Alfa", "000002", "Comune di Beta"),
            BillingScenario.Billed(gamma, "Comune di Gamma con un nome molto lungo che non sta in una riga della tabella dei rendiconti", "000002", "Comune di Beta"),
        ]).Single();
    }

    internal static StatementDocument Issued(PayerStatement payer) =>
        new(IssuerSettingsTests.Padova(), payer, 2025, BillingRunMode.Final, 1, "00000000002", "protocollo@pec.comune.beta.it", new LocalDate(2026, 1, 20))
        {
            NumberText = "7/2026",
            DueDate = new LocalDate(2026, 2, 19),
        };

    [Fact]
    public void Render_CapofilaWithTwoAssociatedEnti_ShowsPayerNumberEveryObjectTotalAndDueDate()
    {
        var payer = Beta();
        Assert.Equal(3044.13m, payer.Total.Euros);

        var text = PdfText.Extract(StatementPdf.Render(Issued(payer)));
        var flat = PdfText.Flat(text);

        Assert.Contains("Provincia di Padova — Centro Servizi Territoriali (CST)", flat, StringComparison.Ordinal);
        Assert.Contains("Codice fiscale: 00000000002", flat, StringComparison.Ordinal);
        Assert.Contains("PEC: protocollo@pec.comune.beta.it", flat, StringComparison.Ordinal);
        Assert.Contains("Documento n. 7/2026 del 20/01/2026 — anno 2025, revisione 1", flat, StringComparison.Ordinal);
        // Every line's object: the quota of each ente, the mailboxes by address, the services by label.
        foreach (var o in new[] { AlfaBox, "antivirus sede municipale", "\"SIT\"", "\"provider\"", "ente (quota associativa)" })
        {
            Assert.Contains(o, flat, StringComparison.Ordinal);
        }

        // The long mailbox address is split over two lines of its cell (the first column, 42-150 pt), never cut.
        Assert.Contains(GammaBox, Regex.Replace(PdfText.ExtractRegion(StatementPdf.Render(Issued(payer)), 42, 0, 108, 842), @"\s+", string.Empty), StringComparison.Ordinal);
        Assert.Equal(3, Regex.Matches(flat, "ente \\(quota associativa\\)").Count);
        // Subtotals per ente, then the total and how to pay it.
        foreach (var subtotal in new[] { "1.500,00", "783,13", "761,00" })
        {
            Assert.Contains(subtotal, flat, StringComparison.Ordinal);
        }

        Assert.Contains("EUR 3.044,13", flat, StringComparison.Ordinal);
        Assert.Contains("Da pagare entro il 19/02/2026", flat, StringComparison.Ordinal);
        Assert.Contains("IBAN IT60 X054 2811 1010 0000 0123 456", flat, StringComparison.Ordinal);
        Assert.Contains("operazione fuori campo IVA", flat, StringComparison.Ordinal);
        Assert.Contains("art. 11", flat.Replace("s.11", "art. 11", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Disciplinare ott. 2020", flat, StringComparison.Ordinal);
        Assert.DoesNotContain("…", text, StringComparison.Ordinal);
        Assert.DoesNotContain("non valida ai fini del pagamento", flat, StringComparison.Ordinal);
        // The long name of the associated ente, wrapped, whole.
        Assert.Contains("Ente associato: Comune di Gamma con un nome molto lungo che non sta in una riga della tabella dei rendiconti (000003)", flat, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PayerWithoutCodiceFiscale_SaysTheCstHoldsNoneAndInventsNone()
    {
        var flat = PdfText.Flat(PdfText.Extract(StatementPdf.Render(Issued(Beta()) with { PayerCodiceFiscale = null })));

        Assert.Contains("Codice fiscale: non registrato presso il CST (comunicatelo al CST)", flat, StringComparison.Ordinal);
        Assert.Contains("Causale: contributi CST anno 2025, rendiconto n. 7/2026, Comune di Beta.", flat, StringComparison.Ordinal);
        Assert.DoesNotContain("C.F. 0", flat, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WithPagoPaNoticeCode_ShowsTheCodeAndTheEnteCreditoreOnlyWhenBothAreGiven()
    {
        var issuer = IssuerSettingsTests.Padova();
        issuer.PagoPaEnteCreditore = "80006510285";
        var document = Issued(Beta()) with { Issuer = issuer, NoticeCode = "301000000000012345" };

        var flat = PdfText.Flat(PdfText.Extract(StatementPdf.Render(document)));

        Assert.Contains("In alternativa con pagoPA: codice avviso 301000000000012345, codice fiscale dell'ente creditore 80006510285.", flat, StringComparison.Ordinal);
        Assert.Contains("IBAN IT60 X054 2811 1010 0000 0123 456", flat, StringComparison.Ordinal);

        // A code without the issuer's ente creditore code, or the ente creditore without a code: no PagoPA line.
        var withoutCreditore = PdfText.Flat(PdfText.Extract(StatementPdf.Render(Issued(Beta()) with { NoticeCode = "301000000000012345" })));
        Assert.DoesNotContain("pagoPA", withoutCreditore, StringComparison.Ordinal);
        var withoutCode = PdfText.Flat(PdfText.Extract(StatementPdf.Render(Issued(Beta()) with { Issuer = issuer })));
        Assert.DoesNotContain("pagoPA", withoutCode, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Preview_IsWatermarkedAndHasNoNumberNorDueDate()
    {
        var preview = new StatementDocument(IssuerSettingsTests.Padova(), Beta(), 2026, BillingRunMode.Preview, 0, null, null, new LocalDate(2026, 6, 15));

        var flat = PdfText.Flat(PdfText.Extract(StatementPdf.Render(preview)));

        Assert.Contains("previsione, non valida ai fini del pagamento", flat, StringComparison.Ordinal);
        Assert.DoesNotContain("Documento n.", flat, StringComparison.Ordinal);
        Assert.DoesNotContain("Da pagare entro", flat, StringComparison.Ordinal);
        Assert.Equal("previsione-2026-000002.pdf", preview.FileName);
    }

    [Fact]
    public void Render_ManyLines_ContinuesOnFurtherPagesNumbered()
    {
        var payer = Beta();
        var many = payer with { Members = [.. Enumerable.Range(0, 12).SelectMany(_ => payer.Members)] };

        var text = PdfText.Extract(StatementPdf.Render(Issued(many)));

        var pages = Regex.Matches(PdfText.Flat(text), @"pagina (\d+) di (\d+)");
        Assert.True(pages.Count >= 2, $"expected several pages, got {pages.Count}");
        Assert.All(pages, m => Assert.Equal(pages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value));
    }
}
