using System.Collections.Immutable;
using Cst.Actors.Contracts.Admin;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Firma;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Contracts.Services;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Deadlines;
using Cst.Actors.Grains.Infrastructure;
using NodaTime;
using Orleans.Concurrency;

namespace Cst.Actors.Grains.Admin;

/// <summary>
/// The admin console's read-only queries, each one window of rows read by SQL: the upcoming deadlines and the enti
/// list from the read models that the grains keep (sql/schema/0012, 0013), the notices and the audit log from their
/// tables. Nothing here activates every grain: the enti list asks only the enti of its window whose row went stale.
/// </summary>
[StatelessWorker]
[GrainType("adminquery")]
public sealed class AdminQueryGrain(IClock clock, IAdminReadStore store, IReadModelStore readModels) : Grain, IAdminQueryGrain
{
    /// <summary>How many enti of a window are asked at once for a line whose row went stale.</summary>
    private const int Parallelism = 8;

    public Task<ImmutableList<NoticeRow>> NoticesAsync(string? enteId, int max) => store.NoticesAsync(enteId, max);

    public Task<ImmutableList<AuditRow>> AuditAsync(string? filter, int max) => store.AuditAsync(filter, max);

    public Task<NoticePage> NoticesPageAsync(string? enteId, int offset, int limit) =>
        store.NoticesPageAsync(enteId, Offset(offset), Limit(limit));

    public Task<AuditPage> AuditPageAsync(string? filter, int offset, int limit) =>
        store.AuditPageAsync(filter, Offset(offset), Limit(limit));

    public Task<LocalDate> TodayAsync() => Task.FromResult(clock.Today());

    public async Task<DeadlinePage> DeadlinesAsync(int days, string? enteId, string? filter, ImmutableArray<DeadlineKind> kindsMatching, int offset, int limit)
    {
        if (days is < 0 or > IAdminQueryGrain.MaxDeadlineDays)
        {
            throw new CstDomainError("InvalidArgument", "adminquery",
                $"The number of days must be between 0 and {IAdminQueryGrain.MaxDeadlineDays}, not {days}.");
        }

        if (enteId is not null && !await GrainFactory.GetGrain<IEnteGrain>(enteId).ExistsAsync())
        {
            throw new CstDomainError("UnknownEnte", "ente/" + enteId, $"There is no ente '{enteId}'.", RefusalCode.EnteUnknown, [enteId]);
        }

        var today = clock.Today();
        var page = await readModels.DeadlinesAsync(today, today.PlusDays(days), enteId, filter, kindsMatching, Offset(offset), Limit(limit));
        return new DeadlinePage(page.Rows, page.Total, Offset(offset));
    }

    public async Task<EntePage> EnteSummariesAsync(int year, string? search, int offset, int limit)
    {
        var today = clock.Today();
        var enti = await EntiAsync(null);
        var result = new EnteSummary[enti.Count];
        await ForEachAsync(enti.Select((e, i) => (e, i)).ToList(), async item =>
        {
            var (entry, index) = item;
            var grain = GrainFactory.GetGrain<IEnteGrain>(entry.EnteId);
            var ente = await grain.GetAsync();
            var history = await grain.GetBillingHistoryAsync();
            // Objects, as the ente's screen lists them, not subscriptions: a mailbox's extra space or conservazione
            // is billed as a subscription of its own (key#variant) but is the same mailbox.
            var activeKeys = history.Subscriptions.Where(s => s.IsActiveOn(today)).Select(s => s.Id.Split('#')[0]).ToHashSet(StringComparer.Ordinal);
            var active = ente.Children.Count(c => activeKeys.Contains(c.Key));
            Domain.Money? estimate = null;
            string? error = null;
            try
            {
                estimate = (await grain.GetStatementAsync(year)).Total;
            }
            catch (CstDomainError e)
            {
                error = e.Message;
            }

            var population = ente.Population.Where(p => p.Year <= year).OrderByDescending(p => p.Year).FirstOrDefault()
                ?? ente.Population.OrderByDescending(p => p.Year).FirstOrDefault();
            result[index] = new EnteSummary(ente.EnteId, ente.Registration.Name, ente.Registration.IstatCode,
                population?.Inhabitants, active, estimate, error, ente.WithdrawnOn);
        });

        return [.. result];
    }

    private async Task<ImmutableList<EnteDirectoryEntry>> EntiAsync(string? enteId)
    {
        var all = await GrainFactory.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key).ListAsync();
        if (enteId is null)
        {
            return all;
        }

        var one = all.Where(e => e.EnteId == enteId).ToImmutableList();
        return one.IsEmpty
            ? throw new CstDomainError("UnknownEnte", "ente/" + enteId, $"There is no ente '{enteId}'.", RefusalCode.EnteUnknown, [enteId])
            : one;
    }

    /// <summary>The schedule the object's reminder follows, rebuilt from its view (null: none, e.g. only requested).</summary>
    private async Task<IDeadlineSchedule?> ScheduleAsync(ChildRef child, LocalDate? enteWithdrawnOn)
    {
        IDeadlineSchedule? schedule;
        switch (child.Kind)
        {
            case ChildKind.PecMailbox:
            {
                var mailbox = await GrainFactory.GetGrain<IPecMailboxGrain>(child.Key).GetAsync();
                schedule = mailbox.ActivatedOn is { } activated
                    ? Annual($"PEC mailbox {mailbox.Address}", activated, mailbox.DisdettaReceivedOn, mailbox.EndsOn)
                    : null;
                break;
            }

            case ChildKind.FirmaDevice:
            {
                var device = await GrainFactory.GetGrain<IFirmaDeviceGrain>(child.Key).GetAsync();
                IDeadlineSchedule d = new FirmaDevice(device.Serial, device.Kind, device.IssuedOn, device.RenewedOn);
                var ended = device.RevokedOn ?? enteWithdrawnOn;
                schedule = ended is { } end ? new EndedSchedule(d, end) : d;
                break;
            }

            case ChildKind.HostedService:
            {
                var service = await GrainFactory.GetGrain<IHostedServiceGrain>(child.Key).GetAsync();
                var subject = $"{service.ServiceName} {service.Key}";
                schedule = service.Renews
                    ? Annual(subject, service.Subscription.ActivatedOn, service.Subscription.DisdettaReceivedOn, service.EndsOn)
                    : new CessationOnlySchedule(subject, service.EndsOn);
                break;
            }

            default:
                schedule = null;
                break;
        }

        return schedule;
    }

    private static AnnualSubscription Annual(string subject, LocalDate activated, LocalDate? disdetta, LocalDate? endsOn)
    {
        // A cessation other than the disdetta's (a withdrawal) is the end when it comes earlier.
        LocalDate? cessation = endsOn is { } end && (disdetta is not { } d || end != DisdettaRule.CeasesOn(d)) && end >= activated
            ? end
            : null;
        return new AnnualSubscription(subject, activated, disdetta, cessation);
    }

    private static async Task ForEachAsync<T>(IReadOnlyList<T> items, Func<T, Task> body)
    {
        using var gate = new SemaphoreSlim(Parallelism);
        await Task.WhenAll(page.Rows.Select(async (row, i) =>
        {
            // A row holds the current year's line as of its writing; a day past an object's start or end, or another
            // year, is the ente's to compute (only for the rows of this window).
            if (row.EstimateYear == year && (row.ActiveUntil is not { } until || until > today))
            {
                rows[i] = EnteGrain.SummaryOf(row);
                return;
            }

            await gate.WaitAsync();
            try
            {
                rows[i] = await GrainFactory.GetGrain<IEnteGrain>(row.EnteId).GetSummaryAsync(year);
            }
            finally
            {
                gate.Release();
            }
        }));

        return new EntePage([.. rows], page.Total, Offset(offset));
    }

    private static int Offset(int offset) => Math.Max(0, offset);

    private static int Limit(int limit) => Math.Clamp(limit, 0, IAdminQueryGrain.MaxWindow);
}
