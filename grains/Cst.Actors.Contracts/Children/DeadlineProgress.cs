using Cst.Actors.Domain.Deadlines;
using NodaTime;

namespace Cst.Actors.Contracts.Children;

/// <summary>
/// Where an object stands with its deadlines: handled through which day (null until tracking starts, see
/// <c>NoticePolicy</c>), and the next deadline its reminder is armed for (null when none is left).
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.DeadlineProgress")]
public sealed record DeadlineProgress(
    [property: Id(0)] LocalDate? HandledThrough,
    [property: Id(1)] LocalDate? ArmedFor,
    [property: Id(2)] DeadlineKind? NextKind)
{
    public static DeadlineProgress None { get; } = new(null, null, null);
}
