using System.Reflection;

namespace Cst.Actors.Domain;

/// <summary>
/// The stable codes of the refusals operators meet most (<see cref="DomainException.Code"/>), each with the values its
/// sentence names in order (<see cref="DomainException.Args"/>). Clients render them in the operator's language;
/// a code never changes meaning: a sentence with other values is a new code. Subjects are as the grains name them
/// ("PEC mailbox x@y.it", "ente 028060", "billing run 2026 final"), dates yyyy-MM-dd.
/// </summary>
public static class RefusalCode
{
    /// <summary>[subject, active from, asked on]</summary>
    public const string ActivationAlready = "activation.already";
    /// <summary>[subject, ended on]</summary>
    public const string ActivationAfterEnd = "activation.after-end";
    /// <summary>[subject, asked on, requested on]</summary>
    public const string ActivationBeforeRequest = "activation.before-request";
    /// <summary>[subject, asked on, adhered on]</summary>
    public const string ActivationBeforeAdhesion = "activation.before-adhesion";
    /// <summary>[subject, received on, asked on]</summary>
    public const string DisdettaTwice = "disdetta.twice";
    /// <summary>[subject, received on, evidence recorded, evidence asked]</summary>
    public const string DisdettaOtherEvidence = "disdetta.other-evidence";
    /// <summary>[subject, asked on]</summary>
    public const string DisdettaNotActive = "disdetta.not-active";
    /// <summary>[subject, asked on, activated on]</summary>
    public const string DisdettaBeforeActivation = "disdetta.before-activation";
    /// <summary>[subject, ceased on, asked on]</summary>
    public const string DisdettaAfterCessation = "disdetta.after-cessation";
    /// <summary>[subject, asked on, activated on]</summary>
    public const string CessationTooEarly = "cessation.too-early";
    /// <summary>[subject, fact kind (DisdettaReceived, Consumption, Renewal, Revocation), asked on, today]</summary>
    public const string FactAfterToday = "fact.after-today";

    /// <summary>[subject, requested on, ente, what was requested (tier, space...)]</summary>
    public const string PecAlreadyRequested = "pec.already-requested";
    /// <summary>[subject, issued on, holder, ente]</summary>
    public const string FirmaAlreadyIssued = "firma.already-issued";
    /// <summary>[subject, revoked on, reason (Lost, Stolen, HolderLeft, Other), asked on]</summary>
    public const string FirmaRevokedAlready = "firma.revoked-already";
    /// <summary>[subject, valid from, valid to (last day), asked on]</summary>
    public const string FirmaRevocationOutsideValidity = "firma.revocation-outside-validity";

    /// <summary>[listino, date]</summary>
    public const string CatalogueNoVersion = "catalogue.no-version";
    /// <summary>[service, listino, version, known services]</summary>
    public const string CatalogueUnknownService = "catalogue.unknown-service";
    /// <summary>[service, service name, variant]</summary>
    public const string CatalogueNoVariants = "catalogue.no-variants";
    /// <summary>[service, service name, variant, variants offered]</summary>
    public const string CatalogueUnknownVariant = "catalogue.unknown-variant";
    /// <summary>[listino, date]</summary>
    public const string CatalogueNoPecService = "catalogue.no-pec-service";
    /// <summary>[tier, listino, tiers offered]</summary>
    public const string CatalogueUnknownTier = "catalogue.unknown-tier";

    /// <summary>[subject, registered name]</summary>
    public const string EnteAlreadyRegistered = "ente.already-registered";
    /// <summary>[subject]</summary>
    public const string EnteNotRegistered = "ente.not-registered";
    /// <summary>[ente id]</summary>
    public const string EnteUnknown = "ente.unknown";
    /// <summary>[subject]</summary>
    public const string EnteOwnCapofila = "ente.own-capofila";
    /// <summary>[capofila, subject]</summary>
    public const string EnteCapofilaUnregistered = "ente.capofila-unregistered";
    /// <summary>[subject, withdrew on, asked on]</summary>
    public const string EnteWithdrewAlready = "ente.withdrew-already";
    /// <summary>[subject, adhered on, asked on]</summary>
    public const string EnteWithdrawalBeforeAdhesion = "ente.withdrawal-before-adhesion";
    /// <summary>[object kind, object key, active from, subject, adhered on]</summary>
    public const string EnteObjectBeforeAdhesion = "ente.object-before-adhesion";
    /// <summary>[object kind, object key, active from, subject, withdrew on]</summary>
    public const string EnteObjectAfterWithdrawal = "ente.object-after-withdrawal";

    /// <summary>[]</summary>
    public const string IstatEmpty = "istat.empty";
    /// <summary>[input, character, position]</summary>
    public const string IstatNotDigit = "istat.not-digit";
    /// <summary>[input, length]</summary>
    public const string IstatLength = "istat.length";
    /// <summary>[input]</summary>
    public const string IstatProvinceZero = "istat.province-zero";
    /// <summary>[input]</summary>
    public const string IstatMunicipalityZero = "istat.municipality-zero";

    /// <summary>[]</summary>
    public const string CfEmpty = "cf.empty";
    /// <summary>[input]</summary>
    public const string CfPersonal = "cf.personal";
    /// <summary>[input, prefix]</summary>
    public const string CfVatPrefix = "cf.vat-prefix";
    /// <summary>[input, what (space, letter, character), character, position]</summary>
    public const string CfNotDigit = "cf.not-digit";
    /// <summary>[input, length]</summary>
    public const string CfLength = "cf.length";
    /// <summary>[input]</summary>
    public const string CfZeros = "cf.zeros";
    /// <summary>[input, check digit, expected]</summary>
    public const string CfCheckDigit = "cf.check-digit";

    /// <summary>[field, value]</summary>
    public const string RangeNegative = "range.negative";
    /// <summary>[field, value]</summary>
    public const string RangeNotPositive = "range.not-positive";
    /// <summary>[field, value, maximum]</summary>
    public const string RangeTooLarge = "range.too-large";
    /// <summary>[field, value]</summary>
    public const string RangeCents = "range.cents";
    /// <summary>[field, value, unit]</summary>
    public const string RangeWholeUnits = "range.whole-units";
    /// <summary>[field, value, earliest, latest]</summary>
    public const string RangeDate = "range.date";
    /// <summary>[field, value, earlier field, earliest]</summary>
    public const string RangeNotBefore = "range.not-before";

    /// <summary>[subject]</summary>
    public const string RunPreviewNeverClosed = "run.preview-never-closed";
    /// <summary>[subject, failed enti, revision, enti named, how many more]</summary>
    public const string RunCloseFailed = "run.close-failed";
    /// <summary>[subject, year, the year after, today]</summary>
    public const string RunFinalTooEarly = "run.final-too-early";
    /// <summary>[subject, today, latest year, year]</summary>
    public const string RunPreviewTooFar = "run.preview-too-far";

    /// <summary>Every code, for the clients' tests (each must have a text in every language).</summary>
    public static IReadOnlyList<string> All { get; } = typeof(RefusalCode)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();
}
