using System.Collections.Immutable;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Contracts.Admin;

namespace Cst.Actors.Admin.ViewModels;

/// <summary>Deadlines of the next N days across all enti (disdetta deadlines, certificate expiries, renewals).</summary>
public sealed class DeadlinesViewModel(AdminSession session)
{
    public int Days { get; private set; } = 30;

    public ImmutableList<UpcomingDeadline> Rows { get; private set; } = [];

    /// <summary>Text the shown rows contain (ente name or key, object, kind), case-insensitive; empty: all.</summary>
    public string Filter { get; private set; } = string.Empty;

    /// <summary>The kind as the operator reads it (the console's language), so the filter finds "rinnovo" too.</summary>
    public Func<Domain.Deadlines.DeadlineKind, string> KindWord { get; init; } = kind => kind.ToString();

    /// <summary>The rows matching <see cref="Filter"/>.</summary>
    public ImmutableList<UpcomingDeadline> Shown => Filter.Length == 0
        ? Rows
        : [.. Rows.Where(d => new[] { d.EnteName, d.EnteId, d.Object, d.Kind.ToString(), KindWord(d.Kind) }.Any(t => t.Contains(Filter, StringComparison.OrdinalIgnoreCase)))];

    public string Title => Filter.Length == 0
        ? $"Deadlines in the next {Days} days: {Rows.Count}"
        : $"Deadlines in the next {Days} days: {Shown.Count} of {Rows.Count} matching '{Filter}'";

    public async Task LoadAsync(int? days = null)
    {
        var d = days ?? Days;
        Rows = await session.CallAsync("listing the deadlines", () => session.Queries.DeadlinesAsync(d, null));
        Days = d;
    }

    public ActionForm DaysForm() => new(
        "Deadlines window",
        [new("Days ahead", Days.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        v =>
        {
            var days = Input.Integer(v[0], "Days ahead", 0, 3660);
            return new PreparedAction(string.Empty, async () =>
            {
                await LoadAsync(days);
                return $"{Rows.Count} deadline(s) in the next {days} days.";
            });
        });

    public ActionForm FilterForm() => new(
        "Filter deadlines",
        [new("Ente, object or kind (empty: all)", Filter)],
        v =>
        {
            var filter = v[0].Trim();
            return new PreparedAction(string.Empty, () =>
            {
                Filter = filter;
                return Task.FromResult(Filter.Length == 0 ? "All deadlines shown." : $"{Shown.Count} deadline(s) matching '{Filter}'.");
            });
        });
}
