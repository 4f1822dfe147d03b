using System.Collections.Immutable;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Domain.Lifecycle;
using Cst.Actors.Domain.Pricing;
using NodaTime;

namespace Cst.Actors.Contracts.Services;

/// <summary>
/// The key of a hosted service: <c>{enteId}/{serviceId}/{label}</c>, where the label tells apart several subscriptions
/// of the same ente to the same service ("1", "2", or a name such as "biblioteca-centrale"). Stable and readable.
/// </summary>
public static class HostedServiceKey
{
    public static string For(string enteId, string serviceId, string label) => $"{enteId}/{serviceId}/{label}";

    /// <summary>The ente, service and label of a key; throws <see cref="ArgumentException"/> for a malformed key.</summary>
    public static (string EnteId, string ServiceId, string Label) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('/');
        return parts.Length == 3 && parts.All(p => p.Length > 0)
            ? (parts[0], parts[1], parts[2])
            : throw new ArgumentException($"Hosted service key '{key}' is not enteId/serviceId/label.", nameof(key));
    }
}

/// <summary>
/// The activation of a catalogue service for an ente: the variant when the service has variants, the quantity
/// (clients, users, GB, TB...), and for on-quotation services the agreed annual price in euros.
/// </summary>
[GenerateSerializer, Immutable, Alias("cst.HostedServiceActivation")]
public sealed record HostedServiceActivation(
    [property: Id(0)] string? Variant,
    [property: Id(1)] LocalDate ActivatedOn,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] decimal? AgreedPrice);

/// <summary>Usage of a consumption component: SMS, Global Service days, extra AdS days, training places.</summary>
/// <param name="EntryId">The natural key of the record (e.g. the operator's work order number): the same id again is the same record.</param>
[GenerateSerializer, Immutable, Alias("cst.ConsumptionEntry")]
public sealed record ConsumptionEntry(
    [property: Id(0)] string EntryId,
    [property: Id(1)] LocalDate RecordedOn,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] string? ComponentId);

/// <summary>A hosted service as it is now.</summary>
[GenerateSerializer, Immutable, Alias("cst.HostedServiceView")]
public sealed record HostedServiceView(
    [property: Id(0)] string Key,
    [property: Id(1)] string EnteId,
    [property: Id(2)] string ServiceId,
    [property: Id(3)] string ServiceName,
    [property: Id(4)] ServiceStatus Status,
    [property: Id(5)] bool Renews,
    [property: Id(6)] Subscription Subscription,
    [property: Id(7)] string? DisdettaEvidence,
    [property: Id(8)] LocalDate? EndsOn,
    [property: Id(9)] ImmutableList<ConsumptionEntry> Consumption,
    [property: Id(10)] DeadlineProgress Deadlines);

/// <summary>
/// Any catalogue service an ente takes other than mailboxes and devices, keyed by <see cref="HostedServiceKey"/>.
/// Activation, quantity over time, consumption records, the agreed price of on-quotation services, disdetta and
/// cessation. Services with an annual charge renew every 1 January and have the disdetta deadlines of a mailbox.
/// </summary>
public interface IHostedServiceGrain : IGrainWithStringKey
{
    /// <summary>
    /// Bulk import: applies every fact of <paramref name="service"/> in date order (the same operations, checks and
    /// idempotency as the separate calls) as <b>one</b> change: one state write, one reminder arming, the audit rows
    /// in one insert. The ente is asked to check the dates before the write but does not store the snapshot: the
    /// importer attaches the objects with <c>IEnteGrain.AttachImportedAsync</c>. A refused operation leaves
    /// the object as it was.
    /// </summary>
    Task<ImportedChild> ImportAsync(string enteId, Import.ImportService service, string operatorName);

    /// <summary>Creates and activates the service; the same activation again changes nothing, a different one is refused.</summary>
    Task<HostedServiceView> ActivateAsync(HostedServiceActivation activation, string operatorName);

    /// <summary>From <paramref name="effectiveOn"/> the quantity is <paramref name="quantity"/> (not negative).</summary>
    Task<HostedServiceView> ChangeQuantityAsync(LocalDate effectiveOn, decimal quantity, string operatorName);

    /// <summary>Adds (or, with the same entry id, replaces) a consumption record dated while the service is active.</summary>
    Task<HostedServiceView> RecordConsumptionAsync(ConsumptionEntry entry, string operatorName);

    /// <summary>Sets the agreed annual price of an on-quotation service, in euros.</summary>
    Task<HostedServiceView> SetAgreedPriceAsync(decimal euros, string operatorName);

    /// <summary>A disdetta received on <paramref name="receivedOn"/> with its evidence.</summary>
    Task<HostedServiceView> ReceiveDisdettaAsync(LocalDate receivedOn, string evidence, string operatorName);

    /// <summary>Ends the service on <paramref name="on"/> (first day no longer active), e.g. a project that closes.</summary>
    Task<HostedServiceView> CeaseAsync(LocalDate on, string operatorName);

    /// <summary>Ends the service on <paramref name="on"/> for the ente's withdrawal; returns its new billing snapshot.</summary>
    [SiloInternal]
    Task<ChildSnapshot> EndForWithdrawalAsync(LocalDate on, string operatorName);

    /// <summary>The service; throws <c>CstDomainError</c> when it was never activated.</summary>
    Task<HostedServiceView> GetAsync();

    /// <summary>Handles the deadlines due by today (what the reminder does), then returns the service.</summary>
    Task<HostedServiceView> HandleDeadlinesAsync();
}
