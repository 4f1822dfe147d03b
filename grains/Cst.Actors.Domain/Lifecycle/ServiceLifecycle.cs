using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Domain.Validation;
using NodaTime;

namespace Cst.Actors.Domain.Lifecycle;

/// <summary>
/// The dated facts of one subscribed service and the transitions they allow: requested, then active from the
/// activation date, then (optionally) a disdetta received, then ceased on the effect date (DESIGN rule 11) or on a
/// cessation date set otherwise (a withdrawal of the ente, a service stopped by agreement). Immutable and pure: every
/// <c>With...</c> method checks its transition and returns the new facts, or throws a <see cref="DomainException"/>
/// naming the service and the values. Operations carry their own dates, so a history can be replayed (imported)
/// in order; an operation repeated with the same values returns the same facts (idempotent).
/// </summary>
public sealed record ServiceLifecycle(string Subject, LocalDate RequestedOn)
{
    public LocalDate? ActivatedOn { get; init; }

    public LocalDate? DisdettaReceivedOn { get; init; }

    /// <summary>The evidence of the disdetta (protocol number, PEC message id), as the operator gave it.</summary>
    public string? DisdettaEvidence { get; init; }

    /// <summary>A cessation date set otherwise than by a disdetta (withdrawal, agreed stop): first day not active.</summary>
    public LocalDate? CeasedOn { get; init; }

    /// <summary>The first day the service is no longer active, once known: the earliest of disdetta effect and cessation.</summary>
    public LocalDate? EndsOn
    {
        get
        {
            var byDisdetta = DisdettaReceivedOn is { } d ? DisdettaRule.CeasesOn(d) : (LocalDate?)null;
            return (byDisdetta, CeasedOn) switch
            {
                ({ } a, { } b) => LocalDate.Min(a, b),
                ({ } a, null) => a,
                (null, { } b) => b,
                _ => null,
            };
        }
    }

    /// <summary>The deadline schedule once the service is (or will be) active; null while only requested.</summary>
    public AnnualSubscription? Schedule =>
        ActivatedOn is { } activated ? new AnnualSubscription(Subject, activated, DisdettaReceivedOn, CeasedOn) : null;

    /// <summary>
    /// The schedule of a service that renews every 1 January (<paramref name="renews"/>), or of one that does not
    /// (one-off or consumption only), whose only deadline is its cessation once known. Null while only requested.
    /// </summary>
    public IDeadlineSchedule? ScheduleFor(bool renews) =>
        ActivatedOn is null ? null
        : renews ? Schedule
        : new CessationOnlySchedule(Subject, EndsOn);

    public ServiceStatus StatusOn(LocalDate today)
    {
        if (EndsOn is { } end && today >= end)
        {
            return ServiceStatus.Ceased;
        }

        if (ActivatedOn is not { } activated || today < activated)
        {
            return ServiceStatus.Requested;
        }

        return DisdettaReceivedOn is not null ? ServiceStatus.DisdettaReceived : ServiceStatus.Active;
    }

    /// <summary>A new request, checked: the date must be a plausible business date.</summary>
    public static ServiceLifecycle Request(string subject, LocalDate requestedOn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        Guard.Date(requestedOn, $"request date of {subject}");
        return new ServiceLifecycle(subject, requestedOn);
    }

    /// <summary>
    /// Active from <paramref name="on"/>: not before the request, not before the ente's adhesion, once only (the same
    /// date again changes nothing; another date is refused, since billing already relies on the first).
    /// </summary>
    public ServiceLifecycle WithActivation(LocalDate on, LocalDate enteAdheredOn)
    {
        Guard.Date(on, $"activation date of {Subject}");
        if (ActivatedOn is { } already)
        {
            return already == on
                ? this
                : throw Illegal("activation",
                    $"{Subject} is already active from {DomainText.Date(already)}; it cannot be activated again on {DomainText.Date(on)}",
                    RefusalCode.ActivationAlready, Subject, DomainText.Date(already), DomainText.Date(on));
        }

        if (EndsOn is { } end)
        {
            throw Illegal("activation", $"{Subject} was ended on {DomainText.Date(end)} before being activated; request it again",
                RefusalCode.ActivationAfterEnd, Subject, DomainText.Date(end));
        }

        if (on < RequestedOn)
        {
            throw Illegal("activation",
                $"{Subject} cannot be activated on {DomainText.Date(on)}, before it was requested on {DomainText.Date(RequestedOn)}",
                RefusalCode.ActivationBeforeRequest, Subject, DomainText.Date(on), DomainText.Date(RequestedOn));
        }

        if (on < enteAdheredOn)
        {
            throw Illegal("activation",
                $"{Subject} cannot be activated on {DomainText.Date(on)}, before the ente adhered to the CST on {DomainText.Date(enteAdheredOn)}",
                RefusalCode.ActivationBeforeAdhesion, Subject, DomainText.Date(on), DomainText.Date(enteAdheredOn));
        }

        return this with { ActivatedOn = on };
    }

    /// <summary>
    /// A disdetta received on <paramref name="on"/>: the service must be active on that day (not merely requested,
    /// not already ceased), and a second disdetta is refused unless it repeats the first (same date, and the same
    /// evidence or none): a repeat with other evidence would otherwise be answered as recorded while the first
    /// evidence is kept.
    /// </summary>
    public ServiceLifecycle WithDisdetta(LocalDate on, string? evidence)
    {
        Guard.Date(on, $"disdetta date of {Subject}");
        Guard.Text(evidence, $"evidence of the disdetta of {Subject}", Guard.MaxEvidenceLength);
        if (DisdettaReceivedOn is { } received)
        {
            var asked = string.IsNullOrWhiteSpace(evidence) ? null : evidence.Trim();
            if (received == on && asked is not null && DisdettaEvidence is { } recorded && !string.Equals(asked, recorded, StringComparison.Ordinal))
            {
                throw Illegal("disdetta",
                    $"{Subject} already has a disdetta received on {DomainText.Date(received)} with evidence '{recorded}'; "
                    + $"the same disdetta with evidence '{asked}' is refused",
                    RefusalCode.DisdettaOtherEvidence, Subject, DomainText.Date(received), recorded, asked);
            }

            return received == on
                ? this
                : throw Illegal("disdetta",
                    $"{Subject} already has a disdetta received on {DomainText.Date(received)}; "
                    + $"another on {DomainText.Date(on)} is refused",
                    RefusalCode.DisdettaTwice, Subject, DomainText.Date(received), DomainText.Date(on));
        }

        if (ActivatedOn is not { } activated)
        {
            throw Illegal("disdetta", $"{Subject} is requested but not active; a disdetta on {DomainText.Date(on)} has nothing to end",
                RefusalCode.DisdettaNotActive, Subject, DomainText.Date(on));
        }

        if (on < activated)
        {
            throw Illegal("disdetta",
                $"disdetta of {Subject} received on {DomainText.Date(on)}, before its activation on {DomainText.Date(activated)}",
                RefusalCode.DisdettaBeforeActivation, Subject, DomainText.Date(on), DomainText.Date(activated));
        }

        if (EndsOn is { } end && on >= end)
        {
            throw Illegal("disdetta",
                $"{Subject} ceased on {DomainText.Date(end)}; a disdetta received on {DomainText.Date(on)} is refused",
                RefusalCode.DisdettaAfterCessation, Subject, DomainText.Date(end), DomainText.Date(on));
        }

        return this with { DisdettaReceivedOn = on, DisdettaEvidence = string.IsNullOrWhiteSpace(evidence) ? null : evidence.Trim() };
    }

    /// <summary>
    /// Ceases on <paramref name="on"/> (first day not active), e.g. for the ente's withdrawal. An earlier end already
    /// known wins: a service that ceased cannot cease again later. Before activation the request is simply closed.
    /// </summary>
    public ServiceLifecycle WithCessation(LocalDate on)
    {
        Guard.Date(on, $"cessation date of {Subject}");
        if (EndsOn is { } end && end <= on)
        {
            return this;
        }

        if (ActivatedOn is { } activated && on <= activated)
        {
            throw Illegal("cessation",
                $"{Subject} cannot cease on {DomainText.Date(on)}: it is active from {DomainText.Date(activated)}, "
                + "and a service ends at least one day after it starts",
                RefusalCode.CessationTooEarly, Subject, DomainText.Date(on), DomainText.Date(activated));
        }

        return this with { CeasedOn = on };
    }

    /// <summary>
    /// Checks that a change (tier, quantity, consumption) dated <paramref name="on"/> falls while the service is
    /// active: from the activation included to the end excluded.
    /// </summary>
    public void CheckActiveOn(LocalDate on, string change)
    {
        Guard.Date(on, $"date of the {change} of {Subject}");
        if (ActivatedOn is not { } activated)
        {
            throw Illegal(change, $"{Subject} is not active yet; the {change} dated {DomainText.Date(on)} is refused");
        }

        if (on < activated)
        {
            throw Illegal(change,
                $"the {change} of {Subject} is dated {DomainText.Date(on)}, before its activation on {DomainText.Date(activated)}");
        }

        if (EndsOn is { } end && on >= end)
        {
            throw Illegal(change,
                $"{Subject} ceased on {DomainText.Date(end)}; the {change} dated {DomainText.Date(on)} is refused");
        }
    }

    private IllegalTransitionException Illegal(string action, string message, string? code = null, params string[] args) =>
        new(Subject, action, message) { Code = code, Args = args };
}
