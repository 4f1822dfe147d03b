using NodaTime;

namespace Cst.Actors.Domain.Deadlines;

/// <summary>
/// DESIGN rule 12. Certificates are valid 3 years from the anchor date (the issue or the last renewal): the device
/// is valid from the anchor included to the expiry date excluded, and on the expiry date it is expired. A renewal is
/// accepted from the anchor up to the day before expiry and gives 3 years from the renewal date. Warnings go out
/// 90, 30 and 7 days before expiry.
/// </summary>
public static class FirmaCertificateRule
{
    public const int ValidityYears = 3;

    public const int FirstWarningDays = 90;

    public const int SecondWarningDays = 30;

    public const int FinalWarningDays = 7;

    /// <summary>
    /// The expiry date: the third anniversary of <paramref name="anchor"/>, computed in one step from the anchor so
    /// that nothing drifts. An anchor on 29 February expires on 28 February, since the anniversary year has no
    /// 29th (NodaTime truncates to the end of the month); expiring on 1 March would add a day of validity.
    /// </summary>
    public static LocalDate ExpiresOn(LocalDate anchor) => anchor.Plus(Period.FromYears(ValidityYears));

    /// <summary>The last day a renewal is accepted: the day before expiry.</summary>
    public static LocalDate LastRenewalDay(LocalDate anchor) => ExpiresOn(anchor).PlusDays(-1);

    /// <summary>Whether a renewal on <paramref name="on"/> is accepted for certificates anchored on <paramref name="anchor"/>.</summary>
    public static bool IsRenewalAllowed(LocalDate anchor, LocalDate on) => on >= anchor && on < ExpiresOn(anchor);

    /// <summary>The warning dates before the expiry of certificates anchored on <paramref name="anchor"/>, earliest first.</summary>
    public static IReadOnlyList<(DeadlineKind Kind, LocalDate Due)> Warnings(LocalDate anchor)
    {
        var expiry = ExpiresOn(anchor);
        return
        [
            (DeadlineKind.ExpiryWarning90Days, expiry.PlusDays(-FirstWarningDays)),
            (DeadlineKind.ExpiryWarning30Days, expiry.PlusDays(-SecondWarningDays)),
            (DeadlineKind.ExpiryWarning7Days, expiry.PlusDays(-FinalWarningDays)),
        ];
    }
}
