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
/// Read-only queries for the admin console over many grains or over the notice and audit tables, so that clients read
/// business data only through grains (they never open the database themselves; their connection string serves only to
/// find gateways). A stateless worker: any key, use <see cref="Key"/>.
/// </summary>
public interface IAdminQueryGrain : IGrainWithIntegerKey
{
    const long Key = 0;

    /// <summary>The latest notices, newest due date first, of one ente or of all (<paramref name="enteId"/> null); at most <paramref name="max"/>.</summary>
    [ReadOnly]
    Task<ImmutableList<NoticeRow>> NoticesAsync(string? enteId, int max);

    /// <summary>
    /// The latest audit rows, newest first; only those whose object or operator contains <paramref name="filter"/>
    /// (case ignored) when given; at most <paramref name="max"/>.
    /// </summary>
    [ReadOnly]
    Task<ImmutableList<AuditRow>> AuditAsync(string? filter, int max);

    /// <summary>
    /// The deadlines due from today to <paramref name="days"/> days later, both included, of every object of every
    /// ente (or of one ente), by due date: disdetta warnings and deadlines, renewals, cessations, certificate expiry
    /// warnings, last renewal days and expiries. Computed from each object's recorded facts by the domain's schedules.
    /// </summary>
    [ReadOnly]
    Task<ImmutableList<UpcomingDeadline>> DeadlinesAsync(int days, string? enteId);

    /// <summary>Every ente with its population, active objects and the estimate of <paramref name="year"/>, by name.</summary>
    [ReadOnly]
    Task<ImmutableList<EnteSummary>> EnteSummariesAsync(int year);

    /// <summary>Today in Europe/Rome, on the cluster's clock.</summary>
    [ReadOnly]
    Task<LocalDate> TodayAsync();
}
