using System.Collections.Immutable;
using Cst.Actors.Domain.Pricing;
using NodaTime;

namespace Cst.Actors.Domain.Billing;

/// <summary>
/// The two kinds of year-end billing run. A <see cref="Preview"/> can be made at any time and is replaced by the next
/// preview of the same year; a <see cref="Final"/> run is what accounting bills, and once closed it never changes.
/// </summary>
public enum BillingRunMode
{
    Preview,
    Final,
}

/// <summary>
/// One line of a billed statement, as written to the <c>billing_line</c> table and exported. <see cref="LineKey"/>
/// identifies the charge across revisions (<see cref="LineKeys"/>); <see cref="LineNo"/> orders the lines of one
/// statement (1, 2, ...). The period is half-open, <c>[PeriodStart, PeriodEnd)</c>, as in <see cref="StatementLine"/>.
/// <para>
/// On an adjustment line (a revision after a closed run), <see cref="Amount"/> is the difference billed now and
/// <see cref="PreviouslyBilled"/> what earlier revisions billed under the same key; quantity, months and unit price
/// describe the charge as it stands now (0 when it no longer exists). On an ordinary line
/// <see cref="PreviouslyBilled"/> is null.
/// </para>
/// </summary>
public sealed record BilledLine(
    int LineNo,
    string LineKey,
    string ServiceId,
    string ServiceName,
    string ComponentId,
    string ComponentName,
    string? SubscriptionId,
    LocalDate PeriodStart,
    LocalDate PeriodEnd,
    int? Months,
    decimal Quantity,
    Money UnitPrice,
    Money Amount,
    string ListinoId,
    string ListinoVersion,
    string Section,
    string? Note,
    Money? PreviouslyBilled = null);

/// <summary>
/// The statement (<i>rendiconto</i>) of one ente in one revision of a billing run, addressed to its payer: the ente
/// itself, or the capofila that pays for it in an associated management. The total is the sum of the rounded lines.
/// </summary>
public sealed record BilledStatement(
    int Year,
    BillingRunMode Mode,
    int Revision,
    string EnteId,
    string EnteName,
    string PayerId,
    string PayerName,
    ImmutableList<BilledLine> Lines)
{
    public Money Total => Money.Sum(Lines.Select(l => l.Amount));

    /// <summary>Whether the ente pays for itself (it is its own payer).</summary>
    public bool PaysItself => PayerId == EnteId;
}
