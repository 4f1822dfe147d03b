using System.Collections.Immutable;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Pricing;
using NodaTime;

namespace Cst.Actors.Contracts.Pec;

/// <summary>
/// A request for a PEC mailbox: the ente, the tier (standard, silver, gold, massiva), the day of the request, and,
/// for a mailbox on a custom certified domain, the pack it belongs to (an id the operator chooses, usually the
/// domain: such mailboxes are billed by the pack of 10, on the standard contract, so their tier must be standard).
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.PecMailboxRequest")]
public sealed record PecMailboxRequest(
    [property: Id(0)] string EnteId,
    [property: Id(1)] string Tier,
    [property: Id(2)] LocalDate RequestedOn,
    [property: Id(3)] string? CustomDomainPackId = null);

/// <summary>A mailbox as it is now.</summary>
[GenerateSerializer, Immutable, Alias("cst.PecMailboxView")]
public sealed record PecMailboxView(
    [property: Id(0)] string Address,
    [property: Id(1)] string EnteId,
    [property: Id(2)] string Tier,
    [property: Id(3)] ServiceStatus Status,
    [property: Id(4)] LocalDate RequestedOn,
    [property: Id(5)] LocalDate? ActivatedOn,
    [property: Id(6)] LocalDate? DisdettaReceivedOn,
    [property: Id(7)] string? DisdettaEvidence,
    [property: Id(8)] LocalDate? EndsOn,
    [property: Id(9)] decimal ExtraSpaceGb,
    [property: Id(10)] decimal ConservazioneGb,
    [property: Id(11)] string? CustomDomainPackId,
    [property: Id(12)] ImmutableList<Subscription> Subscriptions,
    [property: Id(13)] DeadlineProgress Deadlines);

/// <summary>
/// A PEC mailbox, keyed by its address in lower case. Requested, then active from the activation date, then a disdetta
/// received (date and evidence), then ceased on the effect date (1 January after the disdetta's year, DESIGN rule 11);
/// renews by itself every 1 January. Holds one reminder for its next deadline. Every change takes the operator's name
/// and its own date, and repeating it with the same values changes nothing.
/// </summary>
public interface IPecMailboxGrain : IGrainWithStringKey
{
    /// <summary>
    /// Bulk import: applies every fact of <paramref name="mailbox"/> in date order (the same operations, checks and
    /// idempotency as the separate calls) as <b>one</b> change: one state write, one reminder arming, the audit rows
    /// in one insert. The ente is asked to check the dates before the write but does not store the snapshot: the
    /// importer attaches the objects with <c>IEnteGrain.AttachImportedAsync</c>. A refused operation leaves
    /// the object as it was.
    /// </summary>
    Task<ImportedChild> ImportAsync(string enteId, Import.ImportMailbox mailbox, string operatorName);

    /// <summary>Creates the mailbox as requested; the same request again changes nothing, a different one is refused.</summary>
    Task<PecMailboxView> RequestAsync(PecMailboxRequest request, string operatorName);

    /// <summary>
    /// The operator's "new mailbox": the request and the activation on <paramref name="activatedOn"/> as one change.
    /// Both are checked before anything is written; if either is refused, no mailbox, audit row or ente index entry
    /// is left behind.
    /// </summary>
    Task<PecMailboxView> RequestAndActivateAsync(PecMailboxRequest request, LocalDate activatedOn, string operatorName);

    /// <summary>Active from <paramref name="on"/> (not before the request nor the ente's adhesion).</summary>
    Task<PecMailboxView> ActivateAsync(LocalDate on, string operatorName);

    /// <summary>From <paramref name="effectiveOn"/> the mailbox is on <paramref name="tier"/>.</summary>
    Task<PecMailboxView> ChangeTierAsync(LocalDate effectiveOn, string tier, string operatorName);

    /// <summary>From <paramref name="effectiveOn"/> the mailbox has <paramref name="gigabytes"/> GB of extra space (0 ends it).</summary>
    Task<PecMailboxView> SetExtraSpaceAsync(LocalDate effectiveOn, decimal gigabytes, string operatorName);

    /// <summary>From <paramref name="effectiveOn"/> the mailbox's content is kept in conservazione on <paramref name="gigabytes"/> GB (0 ends it).</summary>
    Task<PecMailboxView> SetConservazioneAsync(LocalDate effectiveOn, decimal gigabytes, string operatorName);

    /// <summary>A disdetta received on <paramref name="receivedOn"/>, with its evidence (protocol number, PEC message id).</summary>
    Task<PecMailboxView> ReceiveDisdettaAsync(LocalDate receivedOn, string evidence, string operatorName);

    /// <summary>Ends the mailbox on <paramref name="on"/> for the ente's withdrawal; returns its new billing snapshot.</summary>
    [SiloInternal]
    Task<ChildSnapshot> EndForWithdrawalAsync(LocalDate on, string operatorName);

    /// <summary>The mailbox; throws <c>CstDomainError</c> when it was never requested.</summary>
    Task<PecMailboxView> GetAsync();

    /// <summary>Handles the deadlines due by today (what the reminder does), then returns the mailbox.</summary>
    Task<PecMailboxView> HandleDeadlinesAsync();
}
