using System.Collections.Immutable;

namespace Cst.Actors.Domain.Billing;

/// <summary>One row of the run totals: a service or a listino version, with its lines and amount.</summary>
public sealed record TotalRow(string Key, string Name, int Lines, Money Amount);

/// <summary>
/// The totals of one revision of a billing run: by service, by listino version (listino/version), the grand total,
/// and the number of enti with a statement and of lines. The grand total is the sum of the rounded lines, so it also
/// equals the sum of the statements' totals and of either breakdown.
/// </summary>
public sealed record RunTotals(
    int Year,
    BillingRunMode Mode,
    int Revision,
    ImmutableList<TotalRow> ByService,
    ImmutableList<TotalRow> ByListinoVersion,
    Money GrandTotal,
    int Enti,
    int Lines)
{
    public static RunTotals Of(int year, BillingRunMode mode, int revision, IEnumerable<BilledStatement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var list = statements.ToList();
        var lines = list.SelectMany(s => s.Lines).ToList();
        return new RunTotals(
            year,
            mode,
            revision,
            Rows(lines, l => l.ServiceId, l => l.ServiceName),
            Rows(lines, l => l.ListinoId + "/" + l.ListinoVersion, l => l.ListinoId + " " + l.ListinoVersion),
            Money.Sum(lines.Select(l => l.Amount)),
            list.Count,
            lines.Count);
    }

    private static ImmutableList<TotalRow> Rows(List<BilledLine> lines, Func<BilledLine, string> key, Func<BilledLine, string> name) =>
        [.. lines.GroupBy(key, StringComparer.Ordinal)
            .Select(g => new TotalRow(g.Key, name(g.First()), g.Count(), Money.Sum(g.Select(l => l.Amount))))
            .OrderBy(r => r.Key, ServiceOrder.Instance)];

    /// <summary>Keys in natural order, so s.2 comes before s.10.</summary>
    private sealed class ServiceOrder : IComparer<string>
    {
        public static readonly ServiceOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var (xp, xn) = Split(x ?? string.Empty);
            var (yp, yn) = Split(y ?? string.Empty);
            var byPrefix = string.CompareOrdinal(xp, yp);
            return byPrefix != 0 ? byPrefix : xn != yn ? xn.CompareTo(yn) : string.CompareOrdinal(x, y);
        }

        private static (string Prefix, long Number) Split(string key)
        {
            var i = key.Length;
            while (i > 0 && char.IsAsciiDigit(key[i - 1]))
            {
                i--;
            }

            return i < key.Length && key.Length - i < 18
                ? (key[..i], long.Parse(key[i..], System.Globalization.CultureInfo.InvariantCulture))
                : (key, -1);
        }
    }
}
