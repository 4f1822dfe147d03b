using NodaTime;

namespace Cst.Actors.Domain.Deadlines;

/// <summary>
/// DESIGN rule 11: annual services renew by themselves every 1 January, and a disdetta (notice of
/// cancellation) received on any day of year Y keeps the service for the whole of Y. The service is
/// no longer active from 1 January of Y+1. A disdetta received on 1 January of Y+1 therefore belongs
/// to year Y+1 and takes effect only at the end of Y+1. The deadline to stop a service renewing into Y+1
/// is therefore 31 December of Y.
/// </summary>
public static class DisdettaRule
{
    /// <summary>The first day on which the service is no longer active (exclusive end of its last period).</summary>
    public static LocalDate CeasesOn(LocalDate received) => new(received.Year + 1, 1, 1);

    /// <summary>The last day on which the service is still active and billed.</summary>
    public static LocalDate LastActiveDay(LocalDate received) => new(received.Year, 12, 31);

    /// <summary>The last day a disdetta can be received to stop the service from renewing after year <paramref name="year"/>.</summary>
    public static LocalDate DeadlineToLeaveAfter(int year) => new(year, 12, 31);

    /// <summary>
    /// How many days before the 31 December deadline the ente is reminded. Thirty days put the warning on
    /// 1 December, so the whole month that the notice can still be sent in ("entro il mese di dicembre", as the
    /// CIT Brescia terms put it) lies ahead, enough for a council office to adopt the act and send it by PEC
    /// before the Christmas closures.
    /// </summary>
    public const int WarningLeadDays = 30;

    /// <summary>The day the reminder of the disdetta deadline of year <paramref name="year"/> goes out (1 December).</summary>
    public static LocalDate WarningDate(int year) => DeadlineToLeaveAfter(year).PlusDays(-WarningLeadDays);

    /// <summary>The 1 January on which a service still active at the end of <paramref name="year"/> renews by itself.</summary>
    public static LocalDate RenewalDate(int year) => new(year + 1, 1, 1);
}
