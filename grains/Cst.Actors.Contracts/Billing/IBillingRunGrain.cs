using System.Collections.Immutable;
using System.Globalization;
using Cst.Actors.Domain;
using Cst.Actors.Domain.Billing;
using NodaTime;

namespace Cst.Actors.Contracts.Billing;

/// <summary>The key of a billing run grain: <c>{year}/preview</c> or <c>{year}/final</c>.</summary>
public static class BillingRunKey
{
    public static string For(int year, BillingRunMode mode) =>
        string.Create(CultureInfo.InvariantCulture, $"{year}/{BillingExport.Mode(mode)}");

    /// <summary>The year and mode of a key; throws <see cref="ArgumentException"/> for a malformed key.</summary>
    public static (int Year, BillingRunMode Mode) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && year is >= 1900 and <= 2999)
        {
            switch (parts[1])
            {
                case "preview":
                    return (year, BillingRunMode.Preview);
                case "final":
                    return (year, BillingRunMode.Final);
            }
        }

        throw new ArgumentException($"Billing run key '{key}' is not year/preview or year/final.", nameof(key));
    }
}

/// <summary>Where a revision of a billing run stands.</summary>
[GenerateSerializer]
public enum BillingRunStatus
{
    /// <summary>Nothing has been started for this year and mode.</summary>
    NotStarted,

    /// <summary>Computing; resumes by itself after a silo failure.</summary>
    Running,

    /// <summary>Every ente is done; a preview stays so until the next preview, a final revision until closed.</summary>
    Completed,

    /// <summary>A final revision accounting has taken: immutable.</summary>
    Closed,

    /// <summary>Stopped by an operator while running; what it wrote is discarded by the next start.</summary>
    Cancelled,
}

/// <summary>An ente the run could not bill, with the reason (e.g. its population at 1 January is not recorded).</summary>
[GenerateSerializer, Immutable, Alias("cst.BillingRunFailure")]
public sealed record BillingRunFailure([property: Id(0)] string EnteId, [property: Id(1)] string Message);

/// <summary>
/// A billing run's latest revision as it is now: progress (enti done out of the total, failures, the running total
/// and the lines written so far), dates, and the silo running it while it runs.
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.BillingRunView")]
public sealed record BillingRunView(
    [property: Id(0)] int Year,
    [property: Id(1)] BillingRunMode Mode,
    [property: Id(2)] int Revision,
    [property: Id(3)] BillingRunStatus Status,
    [property: Id(4)] int Attempt,
    [property: Id(5)] LocalDate? AsOf,
    [property: Id(6)] int EntiTotal,
    [property: Id(7)] int EntiDone,
    [property: Id(8)] int EntiFailed,
    [property: Id(9)] Money RunningTotal,
    [property: Id(10)] int Lines,
    [property: Id(11)] Instant? StartedAt,
    [property: Id(12)] Instant? CompletedAt,
    [property: Id(13)] Instant? ClosedAt,
    [property: Id(14)] string? RunningOn,
    [property: Id(15)] ImmutableList<BillingRunFailure> Failures)
{
    /// <summary>
    /// Why a running run is not moving (the database or a silo not answering, an ente that cannot be reached), or null
    /// while it moves. A stuck run is retried every minute by itself; it can be cancelled.
    /// </summary>
    [Id(16)] public string? Stuck { get; init; }

    /// <summary>Since when the run has not moved, while <see cref="Stuck"/> is set.</summary>
    [Id(17)] public Instant? StuckSince { get; init; }

    /// <summary>The enti the run is waiting on while stuck, each with its error (empty when the whole run waits).</summary>
    [Id(18)] public ImmutableList<BillingRunFailure> StuckEnti { get; init; } = [];

    /// <summary>Who cancelled the run and when, for a cancelled revision.</summary>
    [Id(19)] public string? CancelledBy { get; init; }

    [Id(20)] public Instant? CancelledAt { get; init; }
}

/// <summary>
/// The year-end billing run of one year in one mode (key <see cref="BillingRunKey"/>): each ente's statement for the
/// year and the run totals, written to the billing tables of the schema (sql/schema/0002) and readable here.
/// <para>
/// Lifecycle: <c>Start</c> -> Running (bounded parallelism over the enti, progress recorded per ente; a reminder
/// resumes it after a silo failure) -> Completed -> <c>Close</c> (final only) -> Closed, immutable. Starting a closed
/// final year again opens revision n+1, which bills only the differences from what revisions 1..n billed.
/// A preview (revision 0) can be started at any time for any year up to the next one, and each start replaces the
/// previous preview. A final run starts only once the year is over. Refusals arrive as <c>CstDomainError</c>.
/// </para>
/// </summary>
public interface IBillingRunGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the run, or returns it as it is while it runs. A completed preview is computed again; a completed final
    /// revision is computed again only with <paramref name="recompute"/> (e.g. after fixing the enti that failed); a
    /// closed final revision gives a new revision of adjustments.
    /// </summary>
    Task<BillingRunView> StartAsync(string operatorName, bool recompute = false);

    /// <summary>The latest revision and its progress.</summary>
    Task<BillingRunView> GetProgressAsync();

    /// <summary>
    /// Closes the completed final revision: from now on it is immutable. Refused, naming them, while any ente failed:
    /// correct them and start the run again with recompute.
    /// </summary>
    Task<BillingRunView> CloseAsync(string operatorName);

    /// <summary>
    /// Stops the running revision (audited with the operator): its status becomes Cancelled and a later start computes
    /// it again from scratch. Refused when nothing is running.
    /// </summary>
    Task<BillingRunView> CancelAsync(string operatorName);

    /// <summary>The totals of a completed revision (null: the latest).</summary>
    Task<RunTotals> GetTotalsAsync(int? revision = null);

    /// <summary>
    /// The statements of a completed revision (null: the latest), by ente key, <paramref name="take"/> at a time
    /// from <paramref name="skip"/>: an export reads them page by page.
    /// </summary>
    Task<ImmutableList<BilledStatement>> GetStatementsAsync(int? revision, int skip, int take);
}
