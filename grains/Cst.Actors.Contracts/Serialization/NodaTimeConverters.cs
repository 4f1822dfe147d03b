using NodaTime;
using Orleans;

namespace Cst.Actors.Contracts.Serialization;

// Converters between NodaTime values and their surrogates (NodaTimeSurrogates.cs). [RegisterConverter] makes the
// Orleans code generator register them for this assembly, so every silo and client that references the contracts
// can send and store these types without further configuration.

/// <summary>Converts <see cref="LocalDate"/> for Orleans.</summary>
[RegisterConverter]
public sealed class LocalDateConverter : IConverter<LocalDate, LocalDateSurrogate>
{
    /// <inheritdoc/>
    public LocalDate ConvertFromSurrogate(in LocalDateSurrogate surrogate) =>
        new(surrogate.Year, surrogate.Month, surrogate.Day);

    /// <inheritdoc/>
    public LocalDateSurrogate ConvertToSurrogate(in LocalDate value)
    {
        IsoOnly.Check(value.Calendar, value);
        return new(value.Year, value.Month, value.Day);
    }
}

/// <summary>Converts <see cref="LocalTime"/> for Orleans.</summary>
[RegisterConverter]
public sealed class LocalTimeConverter : IConverter<LocalTime, LocalTimeSurrogate>
{
    /// <inheritdoc/>
    public LocalTime ConvertFromSurrogate(in LocalTimeSurrogate surrogate) =>
        LocalTime.FromNanosecondsSinceMidnight(surrogate.NanosecondOfDay);

    /// <inheritdoc/>
    public LocalTimeSurrogate ConvertToSurrogate(in LocalTime value) => new(value.NanosecondOfDay);
}

/// <summary>Converts <see cref="LocalDateTime"/> for Orleans.</summary>
[RegisterConverter]
public sealed class LocalDateTimeConverter : IConverter<LocalDateTime, LocalDateTimeSurrogate>
{
    /// <inheritdoc/>
    public LocalDateTime ConvertFromSurrogate(in LocalDateTimeSurrogate surrogate) =>
        new LocalDate(surrogate.Year, surrogate.Month, surrogate.Day)
            .At(LocalTime.FromNanosecondsSinceMidnight(surrogate.NanosecondOfDay));

    /// <inheritdoc/>
    public LocalDateTimeSurrogate ConvertToSurrogate(in LocalDateTime value)
    {
        IsoOnly.Check(value.Calendar, value);
        return new(value.Year, value.Month, value.Day, value.NanosecondOfDay);
    }
}

/// <summary>Converts <see cref="Duration"/> for Orleans.</summary>
[RegisterConverter]
public sealed class DurationConverter : IConverter<Duration, DurationSurrogate>
{
    /// <inheritdoc/>
    public Duration ConvertFromSurrogate(in DurationSurrogate surrogate) =>
        Duration.FromDays(surrogate.Days) + Duration.FromNanoseconds(surrogate.NanosecondOfDay);

    /// <inheritdoc/>
    public DurationSurrogate ConvertToSurrogate(in Duration value) => new(value.Days, value.NanosecondOfDay);
}

/// <summary>Converts <see cref="Instant"/> for Orleans.</summary>
[RegisterConverter]
public sealed class InstantConverter : IConverter<Instant, InstantSurrogate>
{
    /// <inheritdoc/>
    public Instant ConvertFromSurrogate(in InstantSurrogate surrogate) =>
        NodaConstants.UnixEpoch
        + Duration.FromDays(surrogate.DaysSinceEpoch)
        + Duration.FromNanoseconds(surrogate.NanosecondOfDay);

    /// <inheritdoc/>
    public InstantSurrogate ConvertToSurrogate(in Instant value)
    {
        var sinceEpoch = value - NodaConstants.UnixEpoch;
        return new(sinceEpoch.Days, sinceEpoch.NanosecondOfDay);
    }
}

/// <summary>Converts <see cref="YearMonth"/> for Orleans.</summary>
[RegisterConverter]
public sealed class YearMonthConverter : IConverter<YearMonth, YearMonthSurrogate>
{
    /// <inheritdoc/>
    public YearMonth ConvertFromSurrogate(in YearMonthSurrogate surrogate) => new(surrogate.Year, surrogate.Month);

    /// <inheritdoc/>
    public YearMonthSurrogate ConvertToSurrogate(in YearMonth value)
    {
        IsoOnly.Check(value.Calendar, value);
        return new(value.Year, value.Month);
    }
}

/// <summary>Converts <see cref="DateInterval"/> for Orleans.</summary>
[RegisterConverter]
public sealed class DateIntervalConverter : IConverter<DateInterval, DateIntervalSurrogate>
{
    /// <inheritdoc/>
    public DateInterval ConvertFromSurrogate(in DateIntervalSurrogate surrogate) => new(surrogate.Start, surrogate.End);

    /// <inheritdoc/>
    public DateIntervalSurrogate ConvertToSurrogate(in DateInterval value) => new(value.Start, value.End);
}

/// <summary>Converts <see cref="Period"/> for Orleans.</summary>
[RegisterConverter]
public sealed class PeriodConverter : IConverter<Period, PeriodSurrogate>
{
    /// <inheritdoc/>
    public Period ConvertFromSurrogate(in PeriodSurrogate surrogate) =>
        new PeriodBuilder
        {
            Years = surrogate.Years,
            Months = surrogate.Months,
            Weeks = surrogate.Weeks,
            Days = surrogate.Days,
            Hours = surrogate.Hours,
            Minutes = surrogate.Minutes,
            Seconds = surrogate.Seconds,
            Milliseconds = surrogate.Milliseconds,
            Ticks = surrogate.Ticks,
            Nanoseconds = surrogate.Nanoseconds,
        }.Build();

    /// <inheritdoc/>
    public PeriodSurrogate ConvertToSurrogate(in Period value) =>
        new(
            value.Years,
            value.Months,
            value.Weeks,
            value.Days,
            value.Hours,
            value.Minutes,
            value.Seconds,
            value.Milliseconds,
            value.Ticks,
            value.Nanoseconds);
}

internal static class IsoOnly
{
    public static void Check<T>(CalendarSystem calendar, T value)
    {
        if (calendar != CalendarSystem.Iso)
        {
            throw new NotSupportedException(
                $"Only ISO-calendar values can be serialized; {typeof(T).Name} {value} uses the {calendar.Id} calendar.");
        }
    }
}
