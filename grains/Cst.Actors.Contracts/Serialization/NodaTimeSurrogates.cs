using NodaTime;
using Orleans;

namespace Cst.Actors.Contracts.Serialization;

// Orleans has no codecs for NodaTime. Each NodaTime type that crosses the wire or is stored in grain state gets a
// surrogate here (the fields that identify a value, with fixed [Id]s) and a converter in NodaTimeConverters.cs.
// The surrogates are part of the stored format: never renumber or reuse an [Id], never change a field's meaning.
// Only the ISO calendar is supported; the converters refuse other calendars rather than silently dropping them.

/// <summary>A <see cref="LocalDate"/> in the ISO calendar as year, month and day.</summary>
[GenerateSerializer, Immutable, Alias("cst.nodatime.LocalDate")]
public readonly record struct LocalDateSurrogate(
    [property: Id(0)] int Year,
    [property: Id(1)] int Month,
    [property: Id(2)] int Day);

/// <summary>A <see cref="LocalTime"/> as nanoseconds since midnight.</summary>
[GenerateSerializer, Immutable, Alias("cst.nodatime.LocalTime")]
public readonly record struct LocalTimeSurrogate(
    [property: Id(0)] long NanosecondOfDay);

/// <summary>A <see cref="LocalDateTime"/> in the ISO calendar as a date and nanoseconds since midnight.</summary>
[GenerateSerializer, Immutable, Alias("cst.nodatime.LocalDateTime")]
public readonly record struct LocalDateTimeSurrogate(
    [property: Id(0)] int Year,
    [property: Id(1)] int Month,
    [property: Id(2)] int Day,
    [property: Id(3)] long NanosecondOfDay);

/// <summary>
/// A <see cref="Duration"/> as whole standard days and the nanoseconds within the day, both carrying the sign of the
/// duration. Together they cover the whole range of <see cref="Duration"/> at nanosecond precision, which a single
/// 64-bit nanosecond count cannot.
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.nodatime.Duration")]
public readonly record struct DurationSurrogate(
    [property: Id(0)] int Days,
    [property: Id(1)] long NanosecondOfDay);

/// <summary>An <see cref="Instant"/> as its <see cref="Duration"/> since the Unix epoch (see <see cref="DurationSurrogate"/>).</summary>
[GenerateSerializer, Immutable, Alias("cst.nodatime.Instant")]
public readonly record struct InstantSurrogate(
    [property: Id(0)] int DaysSinceEpoch,
    [property: Id(1)] long NanosecondOfDay);

/// <summary>A <see cref="YearMonth"/> in the ISO calendar.</summary>
[GenerateSerializer, Immutable, Alias("cst.nodatime.YearMonth")]
public readonly record struct YearMonthSurrogate(
    [property: Id(0)] int Year,
    [property: Id(1)] int Month);

/// <summary>A <see cref="DateInterval"/> in the ISO calendar: first and last day, both inclusive as in NodaTime.</summary>
[GenerateSerializer, Immutable, Alias("cst.nodatime.DateInterval")]
public readonly record struct DateIntervalSurrogate(
    [property: Id(0)] LocalDate Start,
    [property: Id(1)] LocalDate End);

/// <summary>A <see cref="Period"/> as its ten signed units, as NodaTime keeps them (a period is not normalized).</summary>
[GenerateSerializer, Immutable, Alias("cst.nodatime.Period")]
public readonly record struct PeriodSurrogate(
    [property: Id(0)] int Years,
    [property: Id(1)] int Months,
    [property: Id(2)] int Weeks,
    [property: Id(3)] int Days,
    [property: Id(4)] long Hours,
    [property: Id(5)] long Minutes,
    [property: Id(6)] long Seconds,
    [property: Id(7)] long Milliseconds,
    [property: Id(8)] long Ticks,
    [property: Id(9)] long Nanoseconds);
