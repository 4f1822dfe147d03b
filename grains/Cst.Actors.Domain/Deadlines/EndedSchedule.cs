using NodaTime;

namespace Cst.Actors.Domain.Deadlines;

/// <summary>
/// A schedule cut short: the deadlines of <paramref name="inner"/> due before <paramref name="endsOn"/> only, e.g. a
/// firma device revoked (lost, stolen) or ended by the ente's withdrawal gets no more warnings nor an expiry.
/// </summary>
public sealed class EndedSchedule(IDeadlineSchedule inner, LocalDate endsOn) : IDeadlineSchedule
{
    /// <inheritdoc />
    public IReadOnlyList<Deadline> DueIn(LocalDate after, LocalDate upTo)
    {
        DeadlineWindow.Check(after, upTo);
        return [.. inner.DueIn(after, upTo).Where(d => d.Due < endsOn)];
    }
}
