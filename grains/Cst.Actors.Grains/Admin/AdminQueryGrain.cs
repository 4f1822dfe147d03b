using System.Collections.Immutable;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.ReadModels;
using NodaTime;
using Orleans.Concurrency;

namespace Cst.Actors.Grains.Admin;

/// <summary>
/// The admin console's read-only queries in the cluster, for the console's terminal UI (its command mode reads the same
/// from the database): the SQL and the checks are <see cref="AdminQueries"/>' (Cst.Actors.ReadModels), on the silo's clock;
/// what SQL cannot answer is asked of the enti here (whether one exists, the line of one whose row went stale).
/// </summary>
[StatelessWorker]
[GrainType("adminquery")]
public sealed class AdminQueryGrain(IClock clock, IAdminReadStore store, IReadModelReader readModels) : Grain, IAdminQueryGrain, IEnteQuestions
{
    private AdminQueries? _queries;

    private AdminQueries Queries => _queries ??= new AdminQueries(store, readModels, clock, this);

    Func<string, Task<bool>>? IEnteQuestions.Exists => enteId => GrainFactory.GetGrain<IEnteGrain>(enteId).ExistsAsync();

    Task<EnteSummary> IEnteQuestions.SummaryAsync(string enteId, int year) => GrainFactory.GetGrain<IEnteGrain>(enteId).GetSummaryAsync(year);

    public Task<ImmutableList<NoticeRow>> NoticesAsync(string? enteId, int max) => Queries.NoticesAsync(enteId, max);

    public Task<ImmutableList<AuditRow>> AuditAsync(string? filter, int max) => Queries.AuditAsync(filter, max);

    public Task<Page<NoticeRow>> NoticesPageAsync(string? enteId, int offset, int limit) => Queries.NoticesPageAsync(enteId, offset, limit);

    public Task<Page<AuditRow>> AuditPageAsync(string? filter, int offset, int limit) => Queries.AuditPageAsync(filter, offset, limit);

    public Task<LocalDate> TodayAsync() => Queries.TodayAsync();

    public Task<Page<UpcomingDeadline>> DeadlinesAsync(int days, string? enteId, string? filter, ImmutableArray<DeadlineKind> kindsMatching, int offset, int limit) =>
        Queries.DeadlinesAsync(days, enteId, filter, kindsMatching, offset, limit);

    public Task<DeadlineListWindow> DeadlineWindowAsync(int days, string? enteId, string? filter, ImmutableArray<DeadlineKind> kindsMatching,
        int offset, DeadlineCursor? after, int limit) =>
        Queries.DeadlineWindowAsync(days, enteId, filter, kindsMatching, offset, after, limit);

    public Task<Page<EnteSummary>> EnteSummariesAsync(int year, string? search, int offset, int limit) => Queries.EnteSummariesAsync(year, search, offset, limit);
}
