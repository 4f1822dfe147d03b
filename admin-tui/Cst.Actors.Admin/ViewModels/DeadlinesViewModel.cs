using System.Collections.Immutable;
using Cst.Actors.Admin.Infrastructure;
using Cst.Actors.Contracts.Admin;

namespace Cst.Actors.Admin.ViewModels;

/// <summary>
/// Deadlines of the next N days across all enti (disdetta deadlines, certificate expiries, renewals), one window (page)
/// at a time from the cluster's deadline list; the filter is applied there too.
/// </summary>
public sealed class DeadlinesViewModel(AdminSession session)
{
    /// <summary>Rows of one page of the console's list.</summary>
    public const int DefaultPageSize = 200;

    public int Days { get; private set; } = 30;

    /// <summary>The rows of the current page (those matching <see cref="Filter"/>).</summary>
    public ImmutableList<UpcomingDeadline> Rows { get; private set; } = [];

    /// <summary>How many deadlines match <see cref="Filter"/> in the window of days, in all pages.</summary>
    public int Total { get; private set; }

    /// <summary>How many deadlines the window of days has, whatever the filter.</summary>
    public int UnfilteredTotal { get; private set; }

    /// <summary>The index of the first row of the page among all matching.</summary>
    public int Offset { get; private set; }

    public int PageSize { get; set; } = DefaultPageSize;

    /// <summary>Text the shown rows contain (ente name or key, object, kind), case-insensitive; empty: all.</summary>
    public string Filter { get; private set; } = string.Empty;

    /// <summary>The kind as the operator reads it (the console's language), so the filter finds "rinnovo" too.</summary>
    public Func<Domain.Deadlines.DeadlineKind, string> KindWord { get; init; } = kind => kind.ToString();

    /// <summary>The rows shown: the current page, already filtered by the cluster.</summary>
    public ImmutableList<UpcomingDeadline> Shown => Rows;

    /// <summary>The kinds whose word in the console's language contains the filter: the cluster knows only their names.</summary>
    private ImmutableArray<Domain.Deadlines.DeadlineKind> KindsNamed(string? filter) => filter is null
        ? []
        : [.. Enum.GetValues<Domain.Deadlines.DeadlineKind>().Where(k => KindWord(k).Contains(filter, StringComparison.OrdinalIgnoreCase))];

    public string Title => Filter.Length == 0
        ? $"Deadlines in the next {Days} days: {Total}"
        : $"Deadlines in the next {Days} days: {Total} of {UnfilteredTotal} matching '{Filter}'";

    public bool HasNextPage => Offset + Rows.Count < Total;

    public bool HasPreviousPage => Offset > 0;

    /// <summary>Loads the first page of <paramref name="days"/> (default: the current page of the current days).</summary>
    public async Task LoadAsync(int? days = null, int? offset = null)
    {
        var d = days ?? Days;
        var from = days is null ? Math.Max(0, offset ?? Offset) : 0;
        var filter = Filter.Length == 0 ? null : Filter;
        var page = await session.CallAsync("listing the deadlines", () => session.Queries.DeadlinesAsync(d, null, filter, KindsNamed(filter), from, PageSize));
        UnfilteredTotal = filter is null ? page.Total : (days is null && d == Days && UnfilteredTotal > 0 ? UnfilteredTotal
            : (await session.CallAsync("listing the deadlines", () => session.Queries.DeadlinesAsync(d, null, null, [], 0, 0))).Total);
        Rows = page.Rows;
        Total = page.Total;
        Offset = page.Offset;
        Days = d;
    }

    /// <summary>
    /// Every deadline of <paramref name="days"/> from <paramref name="offset"/>, at most <paramref name="limit"/> (null:
    /// all), handed to <paramref name="write"/> one window at a time as they are read (by key: each window costs the same
    /// however far into the list, and only one is held at a time). The first window is small, so that the first rows
    /// are out at once; the next window is asked for while one is being written.
    /// </summary>
    public async Task StreamAsync(int days, int offset, int? limit, Func<ImmutableList<UpcomingDeadline>, Task> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var read = 0;
        Task<DeadlineListWindow>? pending = Window(null, Windows.First);
        while (pending is not null)
        {
            var window = await pending;
            read += window.Rows.Count;
            pending = window.Next is { } next && (limit is not { } l || read < l) ? Window(next, Windows.Next) : null;
            if (window.Rows.Count > 0)
            {
                await write(window.Rows);
            }
        }

        Days = days;
        Offset = offset;

        Task<DeadlineListWindow> Window(DeadlineCursor? after, int size)
        {
            var count = limit is { } max ? Math.Min(size, max - read) : size;
            return session.CallAsync("listing the deadlines", () => session.Queries.DeadlineWindowAsync(days, null, null, [], offset, after, count));
        }
    }

    /// <summary>Rows of the first window of <see cref="StreamAsync"/>: printed before the next ones are read.</summary>
    public const int FirstWindow = 500;

    /// <summary>The rows <see cref="StreamAsync"/> asks for in its first window and in each next one.</summary>
    public (int First, int Next) Windows { get; init; } = (FirstWindow, IAdminQueryGrain.MaxWindow);

    public Task NextPageAsync() => HasNextPage ? LoadAsync(offset: Offset + PageSize) : Task.CompletedTask;

    public Task PreviousPageAsync() => HasPreviousPage ? LoadAsync(offset: Math.Max(0, Offset - PageSize)) : Task.CompletedTask;

    public ActionForm DaysForm() => new(
        "Deadlines window",
        [new("Days ahead", Days.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        v =>
        {
            var days = Input.Integer(v[0], "Days ahead", 0, IAdminQueryGrain.MaxDeadlineDays);
            return new PreparedAction(string.Empty, async () =>
            {
                await LoadAsync(days);
                return $"{Total} deadline(s) in the next {days} days.";
            });
        });

    public ActionForm FilterForm() => new(
        "Filter deadlines",
        [new("Ente, object or kind (empty: all)", Filter)],
        v =>
        {
            var filter = v[0].Trim();
            return new PreparedAction(string.Empty, async () =>
            {
                Filter = filter;
                await LoadAsync(Days);
                return Filter.Length == 0 ? "All deadlines shown." : $"{Total} deadline(s) matching '{Filter}'.";
            });
        });
}
