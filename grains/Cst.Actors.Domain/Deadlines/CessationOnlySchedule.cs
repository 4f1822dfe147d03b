using Cst.Actors.Domain.Validation;
using NodaTime;

namespace Cst.Actors.Domain.Deadlines;

/// <summary>
/// The schedule of a service that does not renew by itself (only one-off or consumption charges): no disdetta
/// deadlines, only the cessation once a date is known.
/// </summary>
public sealed class CessationOnlySchedule(string subject, LocalDate? endsOn) : IDeadlineSchedule
{
    /// <inheritdoc />
    public IReadOnlyList<Deadline> DueIn(LocalDate after, LocalDate upTo)
    {
        DeadlineWindow.Check(after, upTo);
        return endsOn is { } end && DeadlineWindow.Contains(after, upTo, end)
            ? [new Deadline(DeadlineKind.Cessation, end, subject,
                $"{subject}: ceases on {DomainText.Date(end)}; last active day {DomainText.Date(end.PlusDays(-1))}")]
            : [];
    }
}
