using System.Collections.Immutable;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Domain.Billing;
using Cst.Actors.Domain.Enti;
using Cst.Actors.Domain.Pricing;
using NodaTime;
using Orleans.Concurrency;

namespace Cst.Actors.Contracts.Enti;

/// <summary>
/// The identity of an ente as the operator registers it. <see cref="ListinoId"/> is the price list it is billed on.
/// The ente's key follows from kind and codes (<see cref="EnteKey"/>): a Comune by ISTAT code, other bodies by codice fiscale.
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.EnteRegistration")]
public sealed record EnteRegistration(
    [property: Id(0)] string Name,
    [property: Id(1)] EnteKind Kind,
    [property: Id(2)] string? IstatCode,
    [property: Id(3)] string? CodiceFiscale,
    [property: Id(4)] LocalDate AdheredOn,
    [property: Id(5)] string ListinoId,
    [property: Id(6)] string? ReferentePec,
    [property: Id(7)] string? ReferenteEmail,
    [property: Id(8)] string? ReferenteName);

/// <summary>The membership of an ente, as its objects need it: adhesion, withdrawal and listino.</summary>
[GenerateSerializer, Immutable, Alias("cst.EnteMembership")]
public sealed record EnteMembership(
    [property: Id(0)] LocalDate AdheredOn,
    [property: Id(1)] LocalDate? WithdrawnOn,
    [property: Id(2)] string ListinoId);

/// <summary>An ente's part of a billing run: who it is now and its statement lines, numbered and keyed.</summary>
[GenerateSerializer, Immutable, Alias("cst.EnteBilling")]
public sealed record EnteBilling(
    [property: Id(0)] EnteView View,
    [property: Id(1)] ImmutableList<BilledLine> Lines);

/// <summary>What an ente is now: identity, membership dates, population, payer, and the index of its objects.</summary>
[GenerateSerializer, Immutable, Alias("cst.EnteView")]
public sealed record EnteView(
    [property: Id(0)] string EnteId,
    [property: Id(1)] EnteRegistration Registration,
    [property: Id(2)] LocalDate? WithdrawnOn,
    [property: Id(3)] ImmutableList<PopulationCount> Population,
    [property: Id(4)] string? CapofilaId,
    [property: Id(5)] ImmutableList<ChildRef> Children);

/// <summary>
/// An ente (member body of the CST), keyed by <see cref="EnteKey"/>. Every state-changing method takes the operator's
/// name (written to the audit log) and is an idempotent upsert: repeating it with the same values changes nothing,
/// so an importer can replay a history. Domain errors arrive as <c>CstDomainError</c> and change nothing.
/// </summary>
public interface IEnteGrain : IGrainWithStringKey
{
    /// <summary>Creates the ente or updates its identity; the key must be the one <see cref="EnteKey"/> gives.</summary>
    Task<EnteView> RegisterAsync(EnteRegistration registration, string operatorName);

    /// <summary>Records (or corrects) the resident population at 1 January of <paramref name="year"/>.</summary>
    Task<EnteView> SetPopulationAsync(int year, int inhabitants, string operatorName);

    /// <summary>
    /// Sets who pays: <paramref name="capofilaId"/> (the lead ente of an associated management, seed 002), or null
    /// for the ente itself. The lead ente must be registered and cannot be the ente itself.
    /// </summary>
    Task<EnteView> SetPayerAsync(string? capofilaId, string operatorName);

    /// <summary>
    /// The withdrawal (<i>recesso</i>) on <paramref name="on"/>: from that day the ente and all its mailboxes, devices
    /// and services are no longer active (each object records its cessation and notices it).
    /// </summary>
    Task<EnteView> WithdrawAsync(LocalDate on, string operatorName);

    /// <summary>The ente as it is; throws <c>CstDomainError</c> when it was never registered.</summary>
    Task<EnteView> GetAsync();

    /// <summary>Whether the ente has been registered.</summary>
    Task<bool> ExistsAsync();

    /// <summary>The history the pricing core bills, built from the ente's own state and its objects' snapshots.</summary>
    Task<EnteHistory> GetBillingHistoryAsync();

    /// <summary>The statement of <paramref name="year"/>: what the pricing core computes for the ente's history.</summary>
    Task<Statement> GetStatementAsync(int year);

    /// <summary>
    /// What a billing run needs of the ente for <paramref name="year"/>: its view and its statement lines with their
    /// line keys (a <see cref="BillingRunMode.Preview"/> projects the year as it would end). Computed here, from the
    /// ente's own state, so the enti of a run are priced side by side on the silos that hold them and only the lines
    /// travel.
    /// </summary>
    Task<EnteBilling> BillAsync(int year, BillingRunMode mode);

    /// <summary>
    /// Called by the ente's objects after each change (and when they find the ente's copy out of date): checks the
    /// object's dates against the membership (no activation before the adhesion or after the withdrawal) and stores
    /// its billing snapshot. Throws, storing nothing, when the dates are refused.
    /// </summary>
    Task PutChildAsync(ChildSnapshot snapshot);

    /// <summary>
    /// The checks of <see cref="PutChildAsync"/> without storing anything: a bulk import asks before it writes the
    /// object. Interleaves, being a read.
    /// </summary>
    [AlwaysInterleave]
    Task CheckChildAsync(ChildSnapshot snapshot);

    /// <summary>
    /// Stores the snapshots of several objects (a bulk import) in one write, after the checks of
    /// <see cref="PutChildAsync"/> for each; throws, storing nothing, when one is refused.
    /// </summary>
    Task PutChildrenAsync(ImmutableList<ChildSnapshot> snapshots);

    /// <summary>
    /// The version of the snapshot held for an object, or null when none is held. Interleaves: an object activated by
    /// a call of this ente (the withdrawal) can still ask.
    /// </summary>
    [AlwaysInterleave]
    Task<long?> GetChildVersionAsync(ChildKind kind, string key);

    /// <summary>
    /// Re-sends an object's snapshot after its activation found the ente's copy at <paramref name="seenVersion"/>
    /// rather than its own: stored only if the copy is still at that version (so a newer one is never overwritten).
    /// One-way, so an object activated by a call of this ente never waits for it.
    /// </summary>
    [OneWay]
    Task ResyncChildAsync(ChildSnapshot snapshot, long? seenVersion);

    /// <summary>The adhesion and withdrawal dates and the listino, for objects that check their operations against them.</summary>
    [AlwaysInterleave]
    Task<EnteMembership> GetMembershipAsync();
}
