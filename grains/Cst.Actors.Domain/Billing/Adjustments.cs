using System.Collections.Immutable;
using System.Globalization;

namespace Cst.Actors.Domain.Billing;

/// <summary>
/// The revision rule. A closed run is never edited: a later change to its year (a back-dated activation, a corrected
/// quantity) is billed by a new revision holding only the differences. For one ente, the lines due now (computed
/// afresh) are matched by <see cref="BilledLine.LineKey"/> with everything billed by the earlier revisions (the sum
/// over revisions of each key); each key whose amount differs gives one adjustment line of the difference, positive
/// or negative. A charge that no longer exists is credited in full; a new one is billed in full; an unchanged one
/// gives nothing. Billed-before plus adjustments therefore always equals what is due now, key by key.
/// </summary>
public static class Adjustments
{
    /// <param name="dueNow">The ente's lines computed afresh (<see cref="LineKeys.Assign"/>).</param>
    /// <param name="billedBefore">Every line of the ente in the earlier revisions of the year, oldest revision first.</param>
    public static ImmutableList<BilledLine> Compute(IReadOnlyList<BilledLine> dueNow, IReadOnlyList<BilledLine> billedBefore)
    {
        ArgumentNullException.ThrowIfNull(dueNow);
        ArgumentNullException.ThrowIfNull(billedBefore);
        var billed = new Dictionary<string, (Money Sum, BilledLine Latest)>(StringComparer.Ordinal);
        var billedOrder = new List<string>();
        foreach (var line in billedBefore)
        {
            if (billed.TryGetValue(line.LineKey, out var held))
            {
                billed[line.LineKey] = (held.Sum + line.Amount, line);
            }
            else
            {
                billed[line.LineKey] = (line.Amount, line);
                billedOrder.Add(line.LineKey);
            }
        }

        var result = ImmutableList.CreateBuilder<BilledLine>();
        var due = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in dueNow)
        {
            if (!due.Add(line.LineKey))
            {
                throw new ArgumentException($"Line key {line.LineKey} appears twice among the lines due.", nameof(dueNow));
            }

            var before = billed.TryGetValue(line.LineKey, out var b) ? b.Sum : Money.Zero;
            if (line.Amount != before)
            {
                result.Add(line with
                {
                    LineNo = result.Count + 1,
                    Amount = line.Amount - before,
                    PreviouslyBilled = before,
                    Note = Join(line.Note, $"rettifica: dovuto {Euro(line.Amount)}, già fatturato {Euro(before)}"),
                });
            }
        }

        foreach (var key in billedOrder.Where(k => !due.Contains(k)))
        {
            var (sum, latest) = billed[key];
            if (sum != Money.Zero)
            {
                result.Add(latest with
                {
                    LineNo = result.Count + 1,
                    Quantity = 0m,
                    Months = latest.Months is null ? null : 0,
                    Amount = -sum,
                    PreviouslyBilled = sum,
                    Note = $"storno: addebito non più dovuto, già fatturato {Euro(sum)}",
                });
            }
        }

        return result.ToImmutable();
    }

    private static string Join(string? note, string text) => string.IsNullOrEmpty(note) ? text : note + "; " + text;

    private static string Euro(Money amount) => "EUR " + amount.Euros.ToString("0.00", CultureInfo.GetCultureInfo("it-IT"));
}
