using System.Collections.Immutable;
using NodaTime;

namespace Cst.Actors.Domain.Pricing;

/// <summary>
/// One line of a statement (<i>rendiconto</i>). The period is half-open, <c>[PeriodStart, PeriodEnd)</c>: the end date
/// is the first day not covered. A one-off, a consumption record or a renewal covers its single day
/// <c>[date, date + 1)</c>; a full-year fee covers the calendar year. <see cref="Quantity"/> is what is charged (units beyond the free allowance, started
/// blocks, or 1 for a flat price); <see cref="Months"/> is set only for amounts apportioned by months.
/// <see cref="Amount"/> is rounded to the cent on its own (DESIGN rule 2).
/// </summary>
public sealed record StatementLine(
    string ServiceId,
    string ServiceName,
    string ComponentId,
    string ComponentName,
    string? SubscriptionId,
    LocalDate PeriodStart,
    LocalDate PeriodEnd,
    decimal Quantity,
    int? Months,
    Money UnitPrice,
    Money Amount,
    string ListinoId,
    string ListinoVersion,
    string Section)
{
    /// <summary>A short explanation for the reader, e.g. the population used for the quota.</summary>
    public string? Note { get; init; }
}

/// <summary>The statement of one ente for one calendar year; the total is the sum of the rounded lines.</summary>
public sealed record Statement(string EnteId, int Year, ImmutableList<StatementLine> Lines)
{
    public Money Total => Money.Sum(Lines.Select(l => l.Amount));
}
