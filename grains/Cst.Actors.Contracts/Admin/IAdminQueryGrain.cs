using System.Collections.Immutable;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Deadlines;
using NodaTime;
using Orleans.Concurrency;

namespace Cst.Actors.Contracts.Admin;

/// <summary>A row of the <c>notice</c> table (sql/schema/0001): a deadline that was reached.</summary>
[GenerateSerializer, Immutable, Alias("cst.NoticeRow")]
public sealed record NoticeRow(
    [property: Id(0)] long Id,
    [property: Id(1)] string EnteId,
    [property: Id(2)] string Object,
    [property: Id(3)] string Kind,
    [property: Id(4)] LocalDate Due,
    [property: Id(5)] string Message,
    [property: Id(6)] Instant CreatedAt);

/// <summary>A row of the append-only <c>audit</c> table: who changed what, when, from what to what.</summary>
[GenerateSerializer, Immutable, Alias("cst.AuditRow")]
public sealed record AuditRow(
    [property: Id(0)] long Id,
    [property: Id(1)] string Operator,
    [property: Id(2)] Instant At,
    [property: Id(3)] string Object,
    [property: Id(4)] string Action,
    [property: Id(5)] string? Before,
    [property: Id(6)] string? After);

/// <summary>A deadline still to come of one object of an ente (not yet a notice).</summary>
[GenerateSerializer, Immutable, Alias("cst.UpcomingDeadline")]
public sealed record UpcomingDeadline(
    [property: Id(0)] LocalDate Due,
    [property: Id(1)] DeadlineKind Kind,
    [property: Id(2)] string EnteId,
    [property: Id(3)] string EnteName,
    [property: Id(4)] string Object,
    [property: Id(5)] string Description);

/// <summary>One line of the enti list: identity, latest population, active objects and the year's estimate.</summary>
/// <param name="ActiveObjects">Mailboxes, devices and services active today.</param>
/// <param name="Estimate">The statement of the year as the pricing core computes it today (null: it cannot, see <paramref name="EstimateError"/>).</param>
[GenerateSerializer, Immutable, Alias("cst.EnteSummary")]
public sealed record EnteSummary(
    [property: Id(0)] string EnteId,
    [property: Id(1)] string Name,
    [property: Id(2)] string? IstatCode,
    [property: Id(3)] int? Population,
    [property: Id(4)] int ActiveObjects,
    [property: Id(5)] Money? Estimate,
    [property: Id(6)] string? EstimateError,
    [property: Id(7)] LocalDate? WithdrawnOn);

/// <summary>
/// A window of a list read by offset (the console's pages): the rows from <paramref name="Offset"/> and how many match in
/// all. One type for the deadlines, the enti, the notices (newest due date first) and the audit log (newest first).
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.Page`1")]
public sealed record Page<T>(
    [property: Id(0)] ImmutableList<T> Rows,
    [property: Id(1)] int Total,
    [property: Id(2)] int Offset);

/// <summary>
/// Where a listing of the upcoming deadlines stands: after the row with this order key (due date, kind, ente name,
/// object, object kind: unique), in the days fixed by its first window (a listing that crosses midnight neither skips
/// nor repeats a row).
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.DeadlineCursor")]
public sealed record DeadlineCursor(
    [property: Id(0)] LocalDate From,
    [property: Id(1)] LocalDate UpTo,
    [property: Id(2)] LocalDate Due,
    [property: Id(3)] DeadlineKind Kind,
    [property: Id(4)] string EnteName,
    [property: Id(5)] string Object,
    [property: Id(6)] short ObjectKind);

/// <summary>
/// A window of a full listing of the upcoming deadlines, read by key (no count, no offset: each window costs the same,
/// however far into the list): the rows, and where the next window starts (null: this was the last one).
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.DeadlineListWindow")]
public sealed record DeadlineListWindow(
    [property: Id(0)] ImmutableList<UpcomingDeadline> Rows,
    [property: Id(1)] DeadlineCursor? Next);

/// <summary>
/// Read-only queries for the admin console over many grains or over the notice and audit tables, so that clients read
/// business data only through grains (they never open the database themselves; their connection string serves only to
/// find gateways). A stateless worker: any key, use <see cref="Key"/>.
/// </summary>
public interface IAdminQueryGrain : IGrainWithIntegerKey
{
    const long Key = 0;

    /// <summary>The most rows one call returns: a caller that wants more asks for the next window.</summary>
    const int MaxWindow = 10_000;

    /// <summary>How far ahead the deadline list reaches, in days (the read model of sql/schema/0012 keeps a year).</summary>
    const int MaxDeadlineDays = 366;

    /// <summary>The latest notices, newest due date first, of one ente or of all (<paramref name="enteId"/> null); at most <paramref name="max"/>.</summary>
    [ReadOnly]
    Task<ImmutableList<NoticeRow>> NoticesAsync(string? enteId, int max);

    /// <summary>
    /// The latest audit rows, newest first; only those whose object or operator contains <paramref name="filter"/>
    /// (case ignored) when given; at most <paramref name="max"/>.
    /// </summary>
    [ReadOnly]
    Task<ImmutableList<AuditRow>> AuditAsync(string? filter, int max);

    /// <summary>A window of <see cref="NoticesAsync"/>: from <paramref name="offset"/>, at most <paramref name="limit"/> rows, with the total.</summary>
    [ReadOnly]
    Task<Page<NoticeRow>> NoticesPageAsync(string? enteId, int offset, int limit);

    /// <summary>A window of <see cref="AuditAsync"/>: from <paramref name="offset"/>, at most <paramref name="limit"/> rows, with the total.</summary>
    [ReadOnly]
    Task<Page<AuditRow>> AuditPageAsync(string? filter, int offset, int limit);

    /// <summary>
    /// The deadlines due from today to <paramref name="days"/> days later (at most <see cref="MaxDeadlineDays"/>), both
    /// included, of every object of every ente (or of one ente), by due date, kind, ente name and object: disdetta
    /// warnings and deadlines, renewals, cessations, certificate expiry warnings, last renewal days and expiries. Read
    /// from the deadline read model that each object keeps with the schedule its reminder follows. Only those whose ente
    /// name or key, object or kind contains <paramref name="filter"/> (case ignored) when given, or whose kind is one of
    /// <paramref name="kindsMatching"/> (the kinds whose name in the client's language contains it); the window from
    /// <paramref name="offset"/>, at most <paramref name="limit"/> (up to <see cref="MaxWindow"/>) rows, with the total.
    /// </summary>
    [ReadOnly]
    Task<Page<UpcomingDeadline>> DeadlinesAsync(int days, string? enteId, string? filter, ImmutableArray<DeadlineKind> kindsMatching, int offset, int limit);

    /// <summary>
    /// The same deadlines as <see cref="DeadlinesAsync"/> (same order, same filter), for reading them all: the first
    /// window (<paramref name="after"/> null) from <paramref name="offset"/>, each next one after the cursor the previous
    /// returned (<paramref name="offset"/> and <paramref name="days"/> then ignored); at most <paramref name="limit"/>
    /// (up to <see cref="MaxWindow"/>) rows. No total is counted.
    /// </summary>
    [ReadOnly]
    Task<DeadlineListWindow> DeadlineWindowAsync(int days, string? enteId, string? filter, ImmutableArray<DeadlineKind> kindsMatching, int offset, DeadlineCursor? after, int limit);

    /// <summary>
    /// The enti by name with their population, active objects and the estimate of <paramref name="year"/>, from the enti
    /// read model; only those whose name contains <paramref name="search"/> (case and accents ignored) or whose key or
    /// ISTAT code starts with it, when given. The window from <paramref name="offset"/>, at most <paramref name="limit"/>
    /// rows (up to <see cref="MaxWindow"/>), with the total. Only the enti of the window whose row is stale, or not of
    /// <paramref name="year"/>, are asked.
    /// </summary>
    [ReadOnly]
    Task<Page<EnteSummary>> EnteSummariesAsync(int year, string? search, int offset, int limit);

    /// <summary>Today in Europe/Rome, on the cluster's clock.</summary>
    [ReadOnly]
    Task<LocalDate> TodayAsync();
}
