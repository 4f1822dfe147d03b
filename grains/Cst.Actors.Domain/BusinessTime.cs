using Cst.Actors.Domain.Validation;
using NodaTime;

namespace Cst.Actors.Domain;

/// <summary>Business dates are in Europe/Rome; the clock is the injected <see cref="IClock"/> (the silo's, or the console's).</summary>
public static class BusinessTime
{
    public static DateTimeZone Zone { get; } = DateTimeZoneProviders.Tzdb["Europe/Rome"];

    /// <summary>Today in Rome.</summary>
    public static LocalDate Today(this IClock clock) => clock.GetCurrentInstant().InZone(Zone).Date;

    /// <summary>When a deadline due on <paramref name="date"/> is handled: one minute past midnight in Rome.</summary>
    public static Instant HandlingInstant(LocalDate date) =>
        date.AtStartOfDayInZone(Zone).ToInstant() + Duration.FromMinutes(1);

    /// <summary>The operator's name, trimmed; a blank one is refused (every change is attributed to someone).</summary>
    public static string Operator(string? name) =>
        string.IsNullOrWhiteSpace(name)
            ? throw new OutOfRangeException("operator name", string.Empty,
                "operator name is empty; every change records who made it")
            : name.Trim();
}
