using System.Collections.Immutable;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Contracts.Admin;

namespace Cst.Actors.Admin.ViewModels;

/// <summary>Deadlines of the next N days across all enti (disdetta deadlines, certificate expiries, renewals).</summary>
public sealed class DeadlinesViewModel(AdminSession session)
{
    public int Days { get; private set; } = 30;

    public ImmutableList<UpcomingDeadline> Rows { get; private set; } = [];

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
}
