using Cst.Actors.Domain.Validation;
using NodaTime;

namespace Cst.Actors.Domain.Lifecycle;

/// <summary>The dated facts an operator or an import records about an ente's objects.</summary>
public enum FactKind
{
    /// <summary>A service or mailbox becomes active (planned: may be dated ahead).</summary>
    Activation,

    /// <summary>A mailbox moves to another tier (planned).</summary>
    TierChange,

    /// <summary>A quantity changes: clients, users, GB (planned).</summary>
    QuantityChange,

    /// <summary>A service stops on a date agreed otherwise than by a disdetta (planned).</summary>
    Cessation,

    /// <summary>The ente withdraws from the CST (planned).</summary>
    Withdrawal,

    /// <summary>A disdetta was received (reported: it happened).</summary>
    DisdettaReceived,

    /// <summary>Usage was recorded: SMS, Global Service days (reported).</summary>
    Consumption,

    /// <summary>A certificate was renewed (reported).</summary>
    Renewal,

    /// <summary>A device was revoked (reported).</summary>
    Revocation,
}

/// <summary>
/// DESIGN rule 14: a fact that reports what happened (a disdetta received, consumption, a renewal, a revocation)
/// cannot be dated after today; a planned change (activation, tier, quantity, cessation, withdrawal) may be, and is
/// then shown as planned. Today is the business date in Europe/Rome, given by the caller's clock.
/// </summary>
public static class FactDates
{
    /// <summary>Whether <paramref name="kind"/> reports something that happened, so cannot be dated after today.</summary>
    public static bool IsReported(FactKind kind) =>
        kind is FactKind.DisdettaReceived or FactKind.Consumption or FactKind.Renewal or FactKind.Revocation;

    /// <summary>Whether a fact of <paramref name="kind"/> dated <paramref name="on"/> is a planned change that takes effect after today.</summary>
    public static bool IsPlannedAhead(FactKind kind, LocalDate on, LocalDate today) => !IsReported(kind) && on > today;

    /// <summary>The date, or the reason a reported fact cannot carry it (it is after today), naming both dates.</summary>
    public static ValidationResult<LocalDate> Validate(FactKind kind, LocalDate on, LocalDate today, string subject)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        if (!IsReported(kind) || on <= today)
        {
            return ValidationResult<LocalDate>.ForValue(on);
        }

        var what = kind switch
        {
            FactKind.DisdettaReceived => "a disdetta cannot be received",
            FactKind.Consumption => "consumption cannot be recorded",
            FactKind.Renewal => "it cannot be renewed",
            _ => "it cannot be revoked",
        };
        return ValidationResult<LocalDate>.ForError(new FutureFactException(kind, on, today,
            $"{subject}: {what} on {DomainText.Date(on)}, after today {DomainText.Date(today)}; "
            + "a fact that happened is dated when it happened")
        {
            Code = RefusalCode.FactAfterToday,
            Args = [subject, kind.ToString(), DomainText.Date(on), DomainText.Date(today)],
        });
    }

    /// <summary>As <see cref="Validate"/>, throwing <see cref="FutureFactException"/>.</summary>
    public static LocalDate Check(FactKind kind, LocalDate on, LocalDate today, string subject) =>
        Validate(kind, on, today, subject).Value;
}

/// <summary>A fact that reports what happened, dated after today.</summary>
public sealed class FutureFactException(FactKind kind, LocalDate on, LocalDate today, string message) : DomainException(message)
{
    public FactKind Kind { get; } = kind;

    public LocalDate On { get; } = on;

    public LocalDate Today { get; } = today;
}
