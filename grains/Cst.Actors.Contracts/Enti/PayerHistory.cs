using System.Collections.Immutable;
using System.Globalization;

namespace Cst.Actors.Contracts.Enti;

/// <summary>
/// From billing year <see cref="FromYear"/> on, the ente's statements go to <see cref="CapofilaId"/> (the lead ente of
/// an associated management), or to the ente itself when it is null.
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.PayerChange")]
public sealed record PayerChange(
    [property: Id(0)] int FromYear,
    [property: Id(1)] string? CapofilaId);

/// <summary>
/// The payer as a dated fact (DESIGN rule 14): a list of changes by billing year, oldest first, where the statement of
/// year Y goes to the payer of the latest change from Y or before, and to the ente itself before the first one.
/// </summary>
public static class PayerHistory
{
    /// <summary>The capofila that pays for year <paramref name="year"/>, or null when the ente pays itself that year.</summary>
    public static string? CapofilaIn(IReadOnlyList<PayerChange> history, int year)
    {
        ArgumentNullException.ThrowIfNull(history);
        string? capofila = null;
        foreach (var change in history)
        {
            if (change.FromYear > year)
            {
                break;
            }

            capofila = change.CapofilaId;
        }

        return capofila;
    }

    /// <summary>
    /// The history after the decision "from <paramref name="fromYear"/> on, <paramref name="capofila"/> pays": the
    /// years before keep their payer, the changes from that year on are replaced by this one. Changes that repeat the
    /// payer already in force are dropped, so the same history is always written the same way.
    /// </summary>
    public static ImmutableList<PayerChange> From(IReadOnlyList<PayerChange> history, int fromYear, string? capofila)
    {
        ArgumentNullException.ThrowIfNull(history);
        return Compact(history.Where(c => c.FromYear < fromYear).Append(new PayerChange(fromYear, capofila)));
    }

    /// <summary>The changes in year order without those that change nothing (including an initial "itself").</summary>
    public static ImmutableList<PayerChange> Compact(IEnumerable<PayerChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var result = ImmutableList.CreateBuilder<PayerChange>();
        string? current = null;
        foreach (var change in changes.OrderBy(c => c.FromYear))
        {
            if (result.Count > 0 && result[^1].FromYear == change.FromYear)
            {
                result.RemoveAt(result.Count - 1);
                current = result.Count > 0 ? result[^1].CapofilaId : null;
            }

            if (!string.Equals(change.CapofilaId, current, StringComparison.Ordinal))
            {
                result.Add(change);
                current = change.CapofilaId;
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// In words, for screens and audit rows: "pays itself", "payer 028060", "payer itself, 028060 from 2026". A change
    /// from the adhesion year (<paramref name="adheredYear"/>) or before is the payer from the start.
    /// </summary>
    public static string Describe(IReadOnlyList<PayerChange> history, int adheredYear)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
        {
            return "pays itself";
        }

        var parts = new List<string>();
        if (history[0].FromYear > adheredYear)
        {
            parts.Add("itself");
        }

        foreach (var change in history)
        {
            var who = change.CapofilaId ?? "itself";
            parts.Add(change.FromYear <= adheredYear ? who : $"{who} from {change.FromYear.ToString(CultureInfo.InvariantCulture)}");
        }

        return "payer " + string.Join(", ", parts);
    }
}
