using System.Collections.Immutable;

namespace Cst.Actors.Domain.Billing;

/// <summary>
/// One payer's document: the statements of the enti it pays for (its own first, then its members by name), as a
/// CST sends them. The payer of an ente is its capofila in an associated management, or the ente itself.
/// </summary>
public sealed record PayerStatement(string PayerId, string PayerName, ImmutableList<BilledStatement> Members)
{
    public Money Total => Money.Sum(Members.Select(m => m.Total));
}

/// <summary>Who pays for whom.</summary>
public static class PayerGrouping
{
    /// <summary>
    /// The payer of <paramref name="enteId"/>: its capofila, followed further when the capofila itself pays through
    /// another one; the ente itself when it has none. A loop of capofila (a data error) stops at the ente where it
    /// closes, so every ente still has one payer.
    /// </summary>
    public static string PayerOf(string enteId, Func<string, string?> capofilaOf)
    {
        ArgumentNullException.ThrowIfNull(enteId);
        ArgumentNullException.ThrowIfNull(capofilaOf);
        var seen = new HashSet<string>(StringComparer.Ordinal) { enteId };
        var payer = enteId;
        while (capofilaOf(payer) is { Length: > 0 } next && seen.Add(next))
        {
            payer = next;
        }

        return payer;
    }

    /// <summary>The statements grouped by payer, payers by name then key; within a payer its own statement first.</summary>
    public static ImmutableList<PayerStatement> Group(IEnumerable<BilledStatement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        return [.. statements
            .GroupBy(s => s.PayerId, StringComparer.Ordinal)
            .Select(g => new PayerStatement(g.Key, g.First().PayerName,
                [.. g.OrderBy(s => s.PaysItself ? 0 : 1).ThenBy(s => s.EnteName, StringComparer.Ordinal).ThenBy(s => s.EnteId, StringComparer.Ordinal)]))
            .OrderBy(p => p.PayerName, StringComparer.Ordinal)
            .ThenBy(p => p.PayerId, StringComparer.Ordinal)];
    }
}
