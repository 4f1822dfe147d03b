using Cst.Actors.Contracts;
using NodaTime;
using Orleans.Runtime;

namespace Cst.Actors.Platform.Tests.Cluster;

/// <summary>Test-only state holding every NodaTime type the contracts can serialize, plus a reminder tick count.</summary>
[GenerateSerializer, Immutable, Alias("cst.test.SampleState")]
public sealed record SampleState(
    [property: Id(0)] Instant RecordedAt,
    [property: Id(1)] LocalDate ServiceStart,
    [property: Id(2)] YearMonth BillingMonth,
    [property: Id(3)] LocalDateTime ReceivedAt,
    [property: Id(4)] Duration Grace,
    [property: Id(5)] Period Term,
    [property: Id(6)] DateInterval Coverage,
    [property: Id(7)] decimal Amount,
    [property: Id(8)] IReadOnlyList<LocalDate> Deadlines)
{
    /// <summary>Value-based comparison of the list too, for assertions.</summary>
    public bool SameAs(SampleState other) =>
        this with { Deadlines = [] } == other with { Deadlines = [] } && Deadlines.SequenceEqual(other.Deadlines);

    public static SampleState Example(int variant = 0) => new(
        Instant.FromUtc(2026, 3, 29, 1, 0, 0) + Duration.FromNanoseconds(123_456_789 + variant),
        new LocalDate(2024, 2, 29).PlusDays(variant),
        new YearMonth(2026, 12),
        new LocalDateTime(2025, 12, 31, 23, 59, 59).PlusNanoseconds(999_999_999),
        Duration.FromDays(-3) - Duration.FromNanoseconds(1),
        new PeriodBuilder { Years = 3, Months = -1, Days = 10, Hours = 5 }.Build(),
        new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 12, 31)),
        1234.565m,
        [new LocalDate(2026, 12, 31), new LocalDate(2027, 1, 1), LocalDate.MinIsoValue, LocalDate.MaxIsoValue]);
}

/// <summary>The stored record: the sample (null until written) and the reminder ticks received.</summary>
[GenerateSerializer, Alias("cst.test.SampleGrainState")]
public sealed class SampleGrainState
{
    [Id(0)]
    public SampleState? Sample { get; set; }

    [Id(1)]
    public int Ticks { get; set; }
}

/// <summary>A grain with persistent state on the production storage and one reminder.</summary>
public interface ISampleGrain : IGrainWithStringKey
{
    /// <summary>Replaces the state and writes it; returns the silo the grain runs on.</summary>
    Task<string> SetAsync(SampleState state);

    /// <summary>The stored sample (null when never written), the reminder ticks and the silo the grain runs on.</summary>
    Task<(SampleState? Sample, int Ticks, string Silo)> GetAsync();

    /// <summary>Registers a reminder due in one minute, repeating every minute.</summary>
    Task StartTickingAsync();
}

[GrainType("cst-test-sample")]
public sealed class SampleGrain(
    [PersistentState("sample", StorageNames.Default)] IPersistentState<SampleGrainState> state,
    ILocalSiloDetails silo)
    : Grain, ISampleGrain, IRemindable
{
    public const string ReminderName = "tick";

    public async Task<string> SetAsync(SampleState value)
    {
        state.State.Sample = value;
        await state.WriteStateAsync();
        return silo.SiloAddress.ToString();
    }

    public Task<(SampleState? Sample, int Ticks, string Silo)> GetAsync() =>
        Task.FromResult((state.State.Sample, state.State.Ticks, silo.SiloAddress.ToString()));

    public Task StartTickingAsync() =>
        this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReminderName)
        {
            state.State.Ticks++;
            await state.WriteStateAsync();
        }
    }
}
