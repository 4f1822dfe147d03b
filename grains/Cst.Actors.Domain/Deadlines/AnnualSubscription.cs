using Cst.Actors.Domain.Validation;
using NodaTime;

namespace Cst.Actors.Domain.Deadlines;

/// <summary>
/// The deadlines of a service that renews by itself every 1 January (DESIGN rule 11): for each year the service
/// would renew out of, a warning (<see cref="DisdettaRule.WarningLeadDays"/> before), the disdetta deadline on
/// 31 December and the renewal on 1 January; then, once the end is known, the cessation. Nothing after it.
/// <para>
/// The schedule follows from the recorded facts only. Once a disdetta is received (or a cessation date is set by a
/// withdrawal), the warning and deadline of the last year are no longer produced: they are about stopping a renewal
/// that will not happen any more. Deadlines before the activation date are not produced either, so a service
/// activated on 20 December has its 31 December deadline but no 1 December warning.
/// </para>
/// </summary>
public sealed class AnnualSubscription : IDeadlineSchedule
{
    /// <param name="subject">What the service is, in words, for the descriptions ("PEC mailbox x@pec.it").</param>
    /// <param name="activatedOn">The first day the service is active.</param>
    /// <param name="disdettaReceivedOn">The day a disdetta was received, if any (not before the activation).</param>
    /// <param name="cessationOn">
    /// A cessation date set otherwise, e.g. the ente's withdrawal (recesso): the first day the service is no longer
    /// active. Not before the activation.
    /// </param>
    public AnnualSubscription(string subject, LocalDate activatedOn, LocalDate? disdettaReceivedOn = null,
        LocalDate? cessationOn = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        Subject = subject;
        ActivatedOn = Guard.Date(activatedOn, $"activation date of {subject}");
        if (disdettaReceivedOn is { } received)
        {
            Guard.Date(received, $"disdetta date of {subject}");
            Guard.NotBefore(received, $"disdetta date of {subject}", activatedOn, "activation date");
        }

        if (cessationOn is { } cessation)
        {
            Guard.Date(cessation, $"cessation date of {subject}");
            Guard.NotBefore(cessation, $"cessation date of {subject}", activatedOn, "activation date");
        }

        DisdettaReceivedOn = disdettaReceivedOn;
        CessationOn = cessationOn;

        // Whichever comes first ends the service: a withdrawal can cut short the year a disdetta left running.
        var byDisdetta = disdettaReceivedOn is { } d ? DisdettaRule.CeasesOn(d) : (LocalDate?)null;
        EndsOn = (byDisdetta, cessationOn) switch
        {
            ({ } a, { } b) => LocalDate.Min(a, b),
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => null,
        };
    }

    public string Subject { get; }

    public LocalDate ActivatedOn { get; }

    public LocalDate? DisdettaReceivedOn { get; }

    public LocalDate? CessationOn { get; }

    /// <summary>The first day the service is no longer active, once known; null while it renews indefinitely.</summary>
    public LocalDate? EndsOn { get; }

    /// <summary>Active from the activation date included to <see cref="EndsOn"/> excluded.</summary>
    public bool IsActiveOn(LocalDate date) => date >= ActivatedOn && (EndsOn is not { } end || date < end);

    /// <inheritdoc />
    public IReadOnlyList<Deadline> DueIn(LocalDate after, LocalDate upTo)
    {
        DeadlineWindow.Check(after, upTo);
        var result = new List<Deadline>();
        if (upTo < ActivatedOn)
        {
            return result;
        }

        // Year y contributes its warning and deadline and the renewal into y + 1: all fall in [1 Dec y, 1 Jan y+1],
        // so years before after.Year - 1 cannot reach into the window. The last year with a LocalDate for its
        // renewal bounds the loop.
        var firstYear = Math.Max(ActivatedOn.Year, after.Year - 1);
        var lastYear = Math.Min(upTo.Year, LocalDate.MaxIsoValue.Year - 1);
        for (var year = firstYear; year <= lastYear; year++)
        {
            var renewal = DisdettaRule.RenewalDate(year);
            if (EndsOn is { } end && end <= renewal)
            {
                break;
            }

            AddIfInWindow(result, after, upTo, DeadlineKind.DisdettaWarning, DisdettaRule.WarningDate(year), year);
            AddIfInWindow(result, after, upTo, DeadlineKind.DisdettaDeadline, DisdettaRule.DeadlineToLeaveAfter(year), year);
            AddIfInWindow(result, after, upTo, DeadlineKind.Renewal, renewal, year);
        }

        if (EndsOn is { } ends && DeadlineWindow.Contains(after, upTo, ends))
        {
            result.Add(new Deadline(DeadlineKind.Cessation, ends, Subject, CessationText(ends)));
        }

        result.Sort(DeadlineWindow.Order);
        return result;
    }

    /// <summary>
    /// The deadlines from <paramref name="today"/> (included) to the end of the current cycle: this year's warning
    /// and 31 December deadline, the renewal on the next 1 January, and the cessation once known (even when it lies
    /// further ahead). Past ones are left out; after the cessation the list is empty.
    /// </summary>
    public IReadOnlyList<Deadline> Upcoming(LocalDate today)
    {
        var cycleYear = LocalDate.Max(today, ActivatedOn).Year;
        var horizon = DisdettaRule.RenewalDate(cycleYear);
        var after = today.PlusDays(-1);
        if (after >= horizon)
        {
            return [];
        }

        var result = DueIn(after, horizon).ToList();
        if (EndsOn is { } end && end > horizon)
        {
            result.Add(new Deadline(DeadlineKind.Cessation, end, Subject, CessationText(end)));
        }

        return result;
    }

    private void AddIfInWindow(List<Deadline> result, LocalDate after, LocalDate upTo, DeadlineKind kind,
        LocalDate due, int year)
    {
        if (due < ActivatedOn || !DeadlineWindow.Contains(after, upTo, due))
        {
            return;
        }

        var deadline = DomainText.Date(DisdettaRule.DeadlineToLeaveAfter(year));
        var renewal = DomainText.Date(DisdettaRule.RenewalDate(year));
        var next = DomainText.Number(year + 1);
        var text = kind switch
        {
            DeadlineKind.DisdettaWarning =>
                $"{Subject}: the disdetta deadline is {deadline}, in {DomainText.Number(DisdettaRule.WarningLeadDays)} "
                + $"days; without a disdetta by then the service renews on {renewal} for the whole of {next}",
            DeadlineKind.DisdettaDeadline =>
                $"{Subject}: last day to receive a disdetta; otherwise the service renews on {renewal} "
                + $"for the whole of {next}",
            _ => $"{Subject}: renews for the whole of {next}",
        };
        result.Add(new Deadline(kind, due, Subject, text));
    }

    private string CessationText(LocalDate end)
    {
        var on = DomainText.Date(end);
        if (DisdettaReceivedOn is { } received && DisdettaRule.CeasesOn(received) == end)
        {
            return $"{Subject}: ceases on {on}, after the disdetta received on {DomainText.Date(received)}; "
                + $"last active day {DomainText.Date(DisdettaRule.LastActiveDay(received))}";
        }

        return $"{Subject}: ceases on {on}; last active day {DomainText.Date(end.PlusDays(-1))}";
    }
}
