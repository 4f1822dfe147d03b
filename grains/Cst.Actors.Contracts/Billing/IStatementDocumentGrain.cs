using System.Collections.Immutable;
using System.Globalization;
using Cst.Actors.Domain;
using NodaTime;

namespace Cst.Actors.Contracts.Billing;

/// <summary>
/// A payer's statement of a closed final revision as an issued document: its number in the year of issue (gap-free,
/// assigned when the revision was closed, never reused), issue and due dates, total, and the PagoPA notice code when
/// accounting recorded one (table <c>statement_payment</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.IssuedStatement")]
public sealed record IssuedStatement(
    [property: Id(0)] int BillingYear,
    [property: Id(1)] int Revision,
    [property: Id(2)] string PayerId,
    [property: Id(3)] string PayerName,
    [property: Id(4)] int IssueYear,
    [property: Id(5)] int Number,
    [property: Id(6)] LocalDate IssuedOn,
    [property: Id(7)] LocalDate DueDate,
    [property: Id(8)] Money Total,
    [property: Id(9)] int Enti,
    [property: Id(10)] string? NoticeCode)
{
    /// <summary>The number as printed: "12/2026".</summary>
    public string NumberText => string.Create(CultureInfo.InvariantCulture, $"{Number}/{IssueYear}");
}

/// <summary>A rendered statement: the PDF of one payer in one revision, with the file name it is saved under.</summary>
[GenerateSerializer, Immutable, Alias("cst.StatementFile")]
public sealed record StatementFile(
    [property: Id(0)] string PayerId,
    [property: Id(1)] string PayerName,
    [property: Id(2)] string FileName,
    [property: Id(3)] IssuedStatement? Issued,
    [property: Id(4)] byte[] Content)
{
    /// <summary>The payer's codice fiscale as registered when the document was rendered; null: none registered.</summary>
    [Id(5)]
    public string? PayerCodiceFiscale { get; init; }
}

/// <summary>
/// The statement documents of one billing run (key <see cref="BillingRunKey"/>, e.g. <c>2025/final</c>): the numbered
/// documents of its closed revisions and each payer's PDF, rendered in the silo with the issuer of its configuration
/// (section <c>Issuer</c>). A preview, or a final revision not yet closed, renders unnumbered, watermarked as not valid
/// for payment. Refusals arrive as <c>CstDomainError</c>.
/// </summary>
public interface IStatementDocumentGrain : IGrainWithStringKey
{
    /// <summary>The numbered documents of a closed final revision (null: the latest), by number.</summary>
    Task<ImmutableList<IssuedStatement>> GetIssuedAsync(int? revision);

    /// <summary>The payers of a completed revision (null: the latest), by name.</summary>
    Task<ImmutableList<string>> GetPayersAsync(int? revision);

    /// <summary>
    /// The PDF of one payer's statement in a completed revision (null: the latest). A closed final revision's document
    /// carries its number and due date, and is refused while the issuer's settings are incomplete.
    /// </summary>
    Task<StatementFile> RenderAsync(int? revision, string payerId);

    /// <summary>
    /// Records the PagoPA notice code (codice avviso, 18 digits holding the IUV) that accounting generated for a payer's
    /// numbered document of a closed final revision (null: the latest); a second call corrects it (audited). The PDF then
    /// shows it beside the issuer's ente creditore code (Issuer:PagoPaEnteCreditore).
    /// </summary>
    Task<IssuedStatement> SetNoticeCodeAsync(int? revision, string payerId, string noticeCode, string operatorName);
}
