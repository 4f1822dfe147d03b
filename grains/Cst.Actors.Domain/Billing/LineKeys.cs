using System.Collections.Immutable;
using Cst.Actors.Domain.Pricing;
using NodaTime.Text;

namespace Cst.Actors.Domain.Billing;

/// <summary>
/// The stable key of a statement line, by which revisions match what was billed with what is due now:
/// <c>subscription|service|component|period start|period end</c> (the ente is a column of its own; "-" stands for no
/// subscription, as on the membership quota). Two lines of one statement with the same key (two consumption records
/// on one day, two quantity layers over the same period) are told apart by occurrence: the second is
/// <c>key#2</c>, and so on, in the pricing core's order, which is deterministic.
/// </summary>
public static class LineKeys
{
    public static string BaseKey(StatementLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return string.Join('|', line.SubscriptionId ?? "-", line.ServiceId, line.ComponentId,
            LocalDatePattern.Iso.Format(line.PeriodStart), LocalDatePattern.Iso.Format(line.PeriodEnd));
    }

    /// <summary>The statement's lines numbered from 1 and keyed.</summary>
    public static ImmutableList<BilledLine> Assign(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = ImmutableList.CreateBuilder<BilledLine>();
        foreach (var line in statement.Lines)
        {
            var key = BaseKey(line);
            var occurrence = seen[key] = seen.GetValueOrDefault(key) + 1;
            if (occurrence > 1)
            {
                key += "#" + occurrence.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            lines.Add(new BilledLine(lines.Count + 1, key, line.ServiceId, line.ServiceName, line.ComponentId,
                line.ComponentName, line.SubscriptionId, line.PeriodStart, line.PeriodEnd, line.Months, line.Quantity,
                line.UnitPrice, line.Amount, line.ListinoId, line.ListinoVersion, line.Section, line.Note));
        }

        return lines.ToImmutable();
    }
}
