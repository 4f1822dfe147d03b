using System.Collections.Immutable;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Deadlines;
using NodaTime;

namespace Cst.Actors.ReadModels;

/// <summary>
/// What SQL alone cannot answer for the admin queries, asked of the cluster: an ente's line of the enti list when its
/// row went stale (a day passed an object's start or end, another year), and, where the caller has the cluster at hand,
/// whether an ente exists.
/// </summary>
public interface IEnteQuestions
{
    /// <summary>Whether the ente exists; null: answered by SQL (the enti list has its row).</summary>
    Func<string, Task<bool>>? Exists { get; }

    /// <summary>The ente's line of the enti list for <paramref name="year"/>, computed by the ente.</summary>
    Task<EnteSummary> SummaryAsync(string enteId, int year);
}

/// <summary>
/// The admin console's read-only queries (<see cref="IAdminQueryGrain"/>), each one window of rows read by SQL: the
/// upcoming deadlines and the enti list from the read models that the grains keep (sql/schema/0012, 0013), the notices
/// and the audit log from their tables, with their checks and error texts. One implementation for both callers: the
/// silo's AdminQueryGrain, and the console, which answers these commands from the database without starting an Orleans
/// client (it starts one only when <paramref name="enti"/> must be asked). Nothing here activates every grain: the enti
/// list asks only the enti of its window whose row went stale.
/// </summary>
/// <param name="clock">Today's clock: the silo's, or the console's (see the console's DatabaseSession).</param>
public sealed class AdminQueries(IAdminReadStore store, IReadModelReader readModels, IClock clock, IEnteQuestions enti) : IAdminQueryGrain
{
    /// <summary>How many enti of a window are asked at once for a line whose row went stale.</summary>
    private const int Parallelism = 8;

    private LocalDate Today => clock.Today();

    public Task<ImmutableList<NoticeRow>> NoticesAsync(string? enteId, int max) => store.NoticesAsync(enteId, max);

    public Task<ImmutableList<AuditRow>> AuditAsync(string? filter, int max) => store.AuditAsync(filter, max);

    public Task<Page<NoticeRow>> NoticesPageAsync(string? enteId, int offset, int limit) =>
        store.NoticesPageAsync(enteId, Offset(offset), Limit(limit));

    public Task<Page<AuditRow>> AuditPageAsync(string? filter, int offset, int limit) =>
        store.AuditPageAsync(filter, Offset(offset), Limit(limit));

    public Task<LocalDate> TodayAsync() => Task.FromResult(Today);

    public async Task<Page<UpcomingDeadline>> DeadlinesAsync(int days, string? enteId, string? filter, ImmutableArray<DeadlineKind> kindsMatching, int offset, int limit)
    {
        await CheckAsync(days, enteId);
        var today = Today;
        var page = await readModels.DeadlinesAsync(today, today.PlusDays(days), enteId, filter, kindsMatching, Offset(offset), Limit(limit));
        return new Page<UpcomingDeadline>(page.Rows, page.Total, Offset(offset));
    }

    public async Task<DeadlineListWindow> DeadlineWindowAsync(int days, string? enteId, string? filter, ImmutableArray<DeadlineKind> kindsMatching,
        int offset, DeadlineCursor? after, int limit)
    {
        if (after is null)
        {
            // The next windows go on from a cursor this one gave: checked once.
            await CheckAsync(days, enteId);
        }

        var today = Today;
        return await readModels.DeadlineWindowAsync(today, today.PlusDays(days), enteId, filter, kindsMatching, Offset(offset), after, Limit(limit));
    }

    private async Task CheckAsync(int days, string? enteId)
    {
        if (days is < 0 or > IAdminQueryGrain.MaxDeadlineDays)
        {
            throw new CstDomainError("InvalidArgument", "adminquery",
                $"The number of days must be between 0 and {IAdminQueryGrain.MaxDeadlineDays}, not {days}.");
        }

        if (enteId is not null && !await (enti.Exists ?? readModels.IsEnteListedAsync)(enteId))
        {
            throw new CstDomainError("UnknownEnte", "ente/" + enteId, $"There is no ente '{enteId}'.", RefusalCode.EnteUnknown, [enteId]);
        }
    }

    public async Task<Page<EnteSummary>> EnteSummariesAsync(int year, string? search, int offset, int limit)
    {
        var today = Today;
        var page = await readModels.EnteSummariesAsync(search, Offset(offset), Limit(limit));
        var rows = new EnteSummary[page.Rows.Count];
        using var gate = new SemaphoreSlim(Parallelism);
        await Task.WhenAll(page.Rows.Select(async (row, i) =>
        {
            // A row holds the current year's line as of its writing; a day past an object's start or end, or another
            // year, is the ente's to compute (only for the rows of this window).
            if (row.EstimateYear == year && (row.ActiveUntil is not { } until || until > today))
            {
                rows[i] = row.ToSummary();
                return;
            }

            await gate.WaitAsync();
            try
            {
                rows[i] = await enti.SummaryAsync(row.EnteId, year);
            }
            finally
            {
                gate.Release();
            }
        }));

        return new Page<EnteSummary>([.. rows], page.Total, Offset(offset));
    }

    private static int Offset(int offset) => Math.Max(0, offset);

    private static int Limit(int limit) => Math.Clamp(limit, 0, IAdminQueryGrain.MaxWindow);
}
