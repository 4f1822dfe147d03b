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

/// <summary>
/// A new ente as the operator adds it, in one decision: its identity, the populations known so far, and who pays for
/// it from its adhesion year (null: itself).
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.EnteCreation")]
public sealed record EnteCreation(
    [property: Id(0)] EnteRegistration Registration,
    [property: Id(1)] ImmutableList<PopulationCount> Population,
    [property: Id(2)] string? CapofilaId)
{
    public EnteCreation(EnteRegistration registration)
        : this(registration, [], null)
    {
    }
}

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

/// <summary>
/// What an ente is now: identity, membership dates, population, payer, and the index of its objects.
/// <see cref="CapofilaId"/> is the capofila paying for the current year; <see cref="Payers"/> the whole history.
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.EnteView")]
public sealed record EnteView(
    [property: Id(0)] string EnteId,
    [property: Id(1)] EnteRegistration Registration,
    [property: Id(2)] LocalDate? WithdrawnOn,
    [property: Id(3)] ImmutableList<PopulationCount> Population,
    [property: Id(4)] string? CapofilaId,
    [property: Id(5)] ImmutableList<ChildRef> Children)
{
    /// <summary>Who pays from which billing year (<see cref="PayerHistory"/>); empty: the ente always pays itself.</summary>
    [Id(6)] public ImmutableList<PayerChange> Payers { get; init; } = [];

    /// <summary>The capofila that pays for <paramref name="year"/>, or null when the ente pays itself that year.</summary>
    public string? CapofilaIn(int year) => PayerHistory.CapofilaIn(Payers, year);
}

/// <summary>
/// An ente (member body of the CST), keyed by <see cref="EnteKey"/>. Every state-changing method takes the operator's
/// name (written to the audit log) and is idempotent: repeating it with the same values changes nothing, so an
/// importer can replay a history. Creating never changes an existing ente: its identity changes only by
/// <see cref="EditAsync"/>. Domain errors arrive as <c>CstDomainError</c> and change nothing.
/// </summary>
public interface IEnteGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the ente; the key must be the one <see cref="EnteKey"/> gives. The same registration again changes
    /// nothing; an ente already registered otherwise is refused, naming it ("use edit").
    /// </summary>
    Task<EnteView> RegisterAsync(EnteRegistration registration, string operatorName);

    /// <summary>
    /// Creates the ente with its populations and payer as one change: everything is checked before anything is
    /// written, and an existing ente is refused as by <see cref="RegisterAsync"/>.
    /// </summary>
    Task<EnteView> CreateAsync(EnteCreation creation, string operatorName);

    /// <summary>
    /// Changes the identity of a registered ente (name, referente, codice fiscale of a Comune, adhesion date), audited
    /// field by field with the values before and after (<see cref="EnteChanges"/>). Its key, and so its kind and
    /// codes, cannot change; nor can its listino (that would reprice its past statements).
    /// </summary>
    Task<EnteView> EditAsync(EnteRegistration registration, string operatorName);

    /// <summary>Records (or corrects) the resident population at 1 January of <paramref name="year"/>.</summary>
    Task<EnteView> SetPopulationAsync(int year, int inhabitants, string operatorName);

    /// <summary>
    /// Sets who pays from billing year <paramref name="fromYear"/> on: <paramref name="capofilaId"/> (the lead ente of
    /// an associated management, seed 002), or null for the ente itself. Earlier years keep their payer, so statements
    /// already computed or closed for them are addressed as they were; a change already recorded for a later year is
    /// replaced. The lead ente must be registered and cannot be the ente itself.
    /// </summary>
    Task<EnteView> SetPayerAsync(string? capofilaId, int fromYear, string operatorName);

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
    /// its billing snapshot. Throws, storing nothing, when the dates are refused. Silo-internal: refused to clients.
    /// </summary>
    [SiloInternal]
    Task PutChildAsync(ChildSnapshot snapshot);

    /// <summary>
    /// The checks of <see cref="PutChildAsync"/> without storing anything: a bulk import asks before it writes the
    /// object. Interleaves, being a read.
    /// </summary>
    [AlwaysInterleave]
    [SiloInternal]
    Task CheckChildAsync(ChildSnapshot snapshot);

    /// <summary>
    /// Stores the snapshots of several objects (a bulk import) in one write, after the checks of
    /// <see cref="PutChildAsync"/> for each; throws, storing nothing, when one is refused. Silo-internal: a client
    /// attaches imported objects with <see cref="AttachImportedAsync"/>.
    /// </summary>
    [SiloInternal]
    Task PutChildrenAsync(ImmutableList<ChildSnapshot> snapshots);

    /// <summary>
    /// Attaches the objects a bulk import has just written (their <c>ImportAsync</c>) in one write: the ente asks each
    /// object for its own snapshot, so only objects that exist and belong to this ente are attached; throws, storing
    /// nothing, when one does not exist, belongs to another ente, or is refused by the checks of
    /// <see cref="PutChildAsync"/>.
    /// </summary>
    Task AttachImportedAsync(ImmutableList<ChildKey> children);

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
    [SiloInternal]
    Task ResyncChildAsync(ChildSnapshot snapshot, long? seenVersion);

    /// <summary>The adhesion and withdrawal dates and the listino, for objects that check their operations against them.</summary>
    [AlwaysInterleave]
    Task<EnteMembership> GetMembershipAsync();

    /// <summary>
    /// The ente's line of the enti list for <paramref name="year"/> (population, objects active today, the year's
    /// estimate or why it cannot be computed); for the current year its read-model row is written again too.
    /// </summary>
    Task<Admin.EnteSummary> GetSummaryAsync(int year);

    /// <summary>
    /// Writes the ente's read-model rows again from its state (its enti list row, then the upcoming deadlines of each
    /// of its objects), for a database whose tables were emptied or created after the data (cst-silo
    /// rebuild-read-models). Safe to repeat. Returns how many objects wrote their rows.
    /// </summary>
    Task<int> RebuildReadModelsAsync();
}
