using Cst.Actors.Domain.Billing;
using NodaTime;

namespace Cst.Actors.Documents;

/// <summary>
/// Everything a payer's statement document shows: the issuer, the payer (name, codice fiscale, PEC), the statements of
/// the enti it pays for, and, once issued, its number, issue and due dates and the PagoPA notice code when there is one.
/// An unnumbered document (a preview, or a final revision not yet closed) is watermarked as not valid for payment.
/// </summary>
public sealed record StatementDocument(
    IssuerSettings Issuer,
    PayerStatement Payer,
    int Year,
    BillingRunMode Mode,
    int Revision,
    string? PayerCodiceFiscale,
    string? PayerPec,
    LocalDate IssuedOn)
{
    /// <summary>"12/2026" once the revision is closed; null before.</summary>
    public string? NumberText { get; init; }

    public LocalDate? DueDate { get; init; }

    /// <summary>The PagoPA notice code (codice avviso) accounting recorded for this document, if any.</summary>
    public string? NoticeCode { get; init; }

    public bool Issued => NumberText is not null;

    /// <summary>The watermark of an unnumbered document.</summary>
    public string? Watermark => Issued ? null
        : Mode == BillingRunMode.Preview ? "previsione, non valida ai fini del pagamento"
        : "bozza, non valida ai fini del pagamento";

    /// <summary>The file name: rendiconto-2025-r1-n12-2026-028060.pdf, previsione-2026-028060.pdf.</summary>
    public string FileName
    {
        get
        {
            var safe = new string([.. Payer.PayerId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
            return Mode == BillingRunMode.Preview ? $"previsione-{Year}-{safe}.pdf"
                : NumberText is { } n ? $"rendiconto-{Year}-r{Revision}-n{n.Replace('/', '-')}-{safe}.pdf"
                : $"bozza-{Year}-r{Revision}-{safe}.pdf";
        }
    }
}
