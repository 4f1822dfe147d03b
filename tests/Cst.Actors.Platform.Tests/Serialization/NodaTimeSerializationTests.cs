using Cst.Actors.Contracts.Serialization;
using Cst.Actors.Platform.Tests.Cluster;
using Cst.Actors.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Cst.Actors.Platform.Tests.Serialization;

/// <summary>
/// The serializer and the grain-storage serializer of a silo configured with the production state format, built once
/// (not started) for the whole class.
/// </summary>
public sealed class SiloSerializers : IDisposable
{
    private readonly IHost _host;

    public SiloSerializers()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo => silo.UseLocalhostClustering().UseCstGrainStateFormat());
        _host = builder.Build();
        Messages = _host.Services.GetRequiredService<Serializer>();
        Storage = _host.Services.GetRequiredService<IGrainStorageSerializer>();
        Copier = _host.Services.GetRequiredService<DeepCopier>();
    }

    public Serializer Messages { get; }

    public IGrainStorageSerializer Storage { get; }

    public DeepCopier Copier { get; }

    public void Dispose() => _host.Dispose();
}

public sealed class NodaTimeSerializationTests(SiloSerializers serializers) : IClassFixture<SiloSerializers>
{
    public static TheoryData<LocalDate> LocalDates() =>
    [
        LocalDate.MinIsoValue,
        LocalDate.MaxIsoValue,
        new LocalDate(1, 1, 1),
        new LocalDate(0, 12, 31),
        new LocalDate(1970, 1, 1),
        new LocalDate(2024, 2, 29),
        new LocalDate(2026, 12, 31),
        new LocalDate(2027, 1, 1),
    ];

    public static TheoryData<Instant> Instants() =>
    [
        Instant.MinValue,
        Instant.MaxValue,
        NodaConstants.UnixEpoch,
        NodaConstants.UnixEpoch - Duration.Epsilon,
        NodaConstants.UnixEpoch + Duration.Epsilon,
        Instant.FromUtc(2026, 3, 29, 1, 0, 0) - Duration.Epsilon,
        Instant.FromUtc(2026, 10, 25, 0, 59, 59) + Duration.FromNanoseconds(999_999_999),
        Instant.FromUtc(1901, 12, 13, 20, 45, 52) + Duration.FromNanoseconds(1),
    ];

    public static TheoryData<Duration> Durations() =>
    [
        Duration.MinValue,
        Duration.MaxValue,
        Duration.Zero,
        Duration.Epsilon,
        -Duration.Epsilon,
        Duration.FromDays(1) - Duration.Epsilon,
        -Duration.FromDays(1) - Duration.Epsilon,
        Duration.FromDays(365 * 3) + Duration.FromHours(5),
    ];

    public static TheoryData<LocalDateTime> LocalDateTimes() =>
    [
        LocalDate.MinIsoValue.AtMidnight(),
        LocalDate.MaxIsoValue.At(LocalTime.MaxValue),
        new LocalDateTime(2024, 2, 29, 12, 0),
        new LocalDateTime(2026, 3, 29, 2, 30).PlusNanoseconds(1),
    ];

    public static TheoryData<YearMonth> YearMonths() =>
    [
        new YearMonth(-9998, 1),
        new YearMonth(9999, 12),
        new YearMonth(2024, 2),
    ];

    public static TheoryData<Period> Periods() =>
    [
        Period.Zero,
        Period.FromYears(3),
        Period.FromMonths(-1),
        new PeriodBuilder { Years = 1, Months = -2, Weeks = 3, Days = -4, Hours = 5, Minutes = -6, Seconds = 7, Milliseconds = -8, Ticks = 9, Nanoseconds = -10 }.Build(),
        Period.FromNanoseconds(long.MaxValue),
    ];

    public static TheoryData<DateInterval> DateIntervals() =>
    [
        new DateInterval(new LocalDate(2026, 2, 28), new LocalDate(2026, 2, 28)),
        new DateInterval(new LocalDate(2024, 1, 1), new LocalDate(2024, 12, 31)),
        new DateInterval(LocalDate.MinIsoValue, LocalDate.MaxIsoValue),
    ];

    public static TheoryData<LocalTime> LocalTimes() =>
    [
        LocalTime.Midnight,
        LocalTime.MaxValue,
        new LocalTime(12, 30, 15).PlusNanoseconds(1),
    ];

    [Theory]
    [MemberData(nameof(LocalDates))]
    public void LocalDate_RoundTrips(LocalDate value) => AssertRoundTrips(value);

    [Theory]
    [MemberData(nameof(Instants))]
    public void Instant_RoundTrips(Instant value) => AssertRoundTrips(value);

    [Theory]
    [MemberData(nameof(Durations))]
    public void Duration_RoundTrips(Duration value) => AssertRoundTrips(value);

    [Theory]
    [MemberData(nameof(LocalDateTimes))]
    public void LocalDateTime_RoundTrips(LocalDateTime value) => AssertRoundTrips(value);

    [Theory]
    [MemberData(nameof(YearMonths))]
    public void YearMonth_RoundTrips(YearMonth value) => AssertRoundTrips(value);

    [Theory]
    [MemberData(nameof(Periods))]
    public void Period_RoundTrips(Period value) => AssertRoundTrips(value);

    [Theory]
    [MemberData(nameof(DateIntervals))]
    public void DateInterval_RoundTrips(DateInterval value) => AssertRoundTrips(value);

    [Theory]
    [MemberData(nameof(LocalTimes))]
    public void LocalTime_RoundTrips(LocalTime value) => AssertRoundTrips(value);

    [Fact]
    public void NullableAndBoxedValues_RoundTrip()
    {
        AssertRoundTrips<LocalDate?>(null);
        AssertRoundTrips<LocalDate?>(new LocalDate(2026, 1, 1));
        AssertRoundTrips<object>(Instant.FromUtc(2026, 1, 1, 0, 0));
        AssertRoundTrips<object>(new LocalDate(2026, 1, 1));
    }

    [Fact]
    public void Collections_RoundTrip()
    {
        var dates = new List<LocalDate> { new(2026, 1, 1), LocalDate.MaxIsoValue };
        Assert.Equal(dates, serializers.Messages.Deserialize<List<LocalDate>>(serializers.Messages.SerializeToArray(dates)));

        var byDate = new Dictionary<LocalDate, Instant> { [new LocalDate(2026, 12, 31)] = Instant.FromUtc(2026, 12, 31, 22, 59) };
        Assert.Equal(byDate, serializers.Messages.Deserialize<Dictionary<LocalDate, Instant>>(serializers.Messages.SerializeToArray(byDate)));
        Assert.Equal(byDate, serializers.Storage.Deserialize<Dictionary<LocalDate, Instant>>(serializers.Storage.Serialize(byDate)));
    }

    [Fact]
    public void GrainState_RoundTripsThroughStorageFormat()
    {
        var state = new SampleGrainState { Sample = SampleState.Example(), Ticks = 7 };

        var read = serializers.Storage.Deserialize<SampleGrainState>(serializers.Storage.Serialize(state));

        Assert.NotNull(read?.Sample);
        Assert.True(state.Sample.SameAs(read.Sample), $"expected {state.Sample}, read {read.Sample}");
        Assert.Equal(7, read.Ticks);
    }

    [Fact]
    public void StorageFormat_IsOrleansBinary()
    {
        Assert.IsType<OrleansGrainStorageSerializer>(serializers.Storage);
    }

    [Fact]
    public void StorageFormat_OlderStateWithoutNewField_ReadsWithDefault()
    {
        // Version tolerance through [Id]s: state written before a field existed reads back with the field's default,
        // and state written with an extra field is still readable by the older type.
        var old = new StateV1 { Start = new LocalDate(2026, 3, 20) };

        var upgraded = serializers.Storage.Deserialize<StateV2>(serializers.Storage.Serialize(old));
        Assert.Equal(new LocalDate(2026, 3, 20), upgraded?.Start);
        Assert.Null(upgraded?.End);

        var newer = new StateV2 { Start = new LocalDate(2026, 3, 20), End = new LocalDate(2027, 1, 1) };
        var downgraded = serializers.Storage.Deserialize<StateV1>(serializers.Storage.Serialize(newer));
        Assert.Equal(new LocalDate(2026, 3, 20), downgraded?.Start);
    }

    [Fact]
    public void NonIsoCalendar_IsRefused()
    {
        var julian = new LocalDate(2026, 1, 1, CalendarSystem.Julian);

        var error = Assert.Throws<NotSupportedException>(() => new LocalDateConverter().ConvertToSurrogate(julian));
        Assert.Contains("Julian", error.Message, StringComparison.Ordinal);
    }

    private void AssertRoundTrips<T>(T value)
    {
        Assert.Equal(value, serializers.Messages.Deserialize<T>(serializers.Messages.SerializeToArray(value)));
        Assert.Equal(value, serializers.Storage.Deserialize<T>(serializers.Storage.Serialize(value)));
        Assert.Equal(value, serializers.Copier.Copy(value));
    }
}

[GenerateSerializer, Alias("cst.test.VersionedState")]
public sealed class StateV1
{
    [Id(0)]
    public LocalDate Start { get; set; }
}

[GenerateSerializer, Alias("cst.test.VersionedStateV2")]
public sealed class StateV2
{
    [Id(0)]
    public LocalDate Start { get; set; }

    [Id(1)]
    public LocalDate? End { get; set; }
}
