using System.Collections.Immutable;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Domain.Deadlines;
using NodaTime;

namespace Cst.Actors.Contracts.Firma;

/// <summary>Why a device was revoked before its expiry.</summary>
[GenerateSerializer]
public enum RevocationReason
{
    Lost = 1,
    Stolen = 2,
    HolderLeft = 3,
    Other = 4,
}

/// <summary>Where a device stands on a given day.</summary>
[GenerateSerializer]
public enum FirmaDeviceStatus
{
    Valid = 1,
    Expired = 2,
    Revoked = 3,
}

/// <summary>The issue of a firma device to a holder of an ente.</summary>
[GenerateSerializer, Immutable, Alias("cst.FirmaDeviceIssue")]
public sealed record FirmaDeviceIssue(
    [property: Id(0)] string EnteId,
    [property: Id(1)] FirmaDeviceKind Kind,
    [property: Id(2)] string Holder,
    [property: Id(3)] LocalDate IssuedOn);

/// <summary>A device as it is now.</summary>
[GenerateSerializer, Immutable, Alias("cst.FirmaDeviceView")]
public sealed record FirmaDeviceView(
    [property: Id(0)] string Serial,
    [property: Id(1)] string EnteId,
    [property: Id(2)] FirmaDeviceKind Kind,
    [property: Id(3)] string Holder,
    [property: Id(4)] LocalDate IssuedOn,
    [property: Id(5)] ImmutableList<LocalDate> RenewedOn,
    [property: Id(6)] LocalDate ExpiresOn,
    [property: Id(7)] FirmaDeviceStatus Status,
    [property: Id(8)] LocalDate? RevokedOn,
    [property: Id(9)] RevocationReason? RevocationReason,
    [property: Id(10)] DeadlineProgress Deadlines);

/// <summary>
/// A firma device (BusinessKey or firma remota), keyed by its serial. Certificates are valid 3 years from the issue or
/// the last renewal; a renewal is accepted up to the day before expiry; on the expiry date the device is expired.
/// Warnings go out 90, 30 and 7 days before expiry, and on the last renewal day and the expiry day.
/// </summary>
public interface IFirmaDeviceGrain : IGrainWithStringKey
{
    /// <summary>
    /// Bulk import: applies every fact of <paramref name="device"/> in date order (the same operations, checks and
    /// idempotency as the separate calls) as <b>one</b> change: one state write, one reminder arming, the audit rows
    /// in one insert. The ente is asked to check the dates before the write but does not store the snapshot: the
    /// importer attaches the objects with <c>IEnteGrain.AttachImportedAsync</c>. A refused operation leaves
    /// the object as it was.
    /// </summary>
    Task<ImportedChild> ImportAsync(string enteId, Import.ImportDevice device, string operatorName);

    /// <summary>Creates the device; the same issue again changes nothing, a different one is refused.</summary>
    Task<FirmaDeviceView> IssueAsync(FirmaDeviceIssue issue, string operatorName);

    /// <summary>Renews the certificates on <paramref name="on"/> (3 years from that day); refused from the expiry date on.</summary>
    Task<FirmaDeviceView> RenewAsync(LocalDate on, string operatorName);

    /// <summary>Revokes the device on <paramref name="on"/> (lost, stolen...): no further renewals or warnings.</summary>
    Task<FirmaDeviceView> RevokeAsync(LocalDate on, RevocationReason reason, string operatorName);

    /// <summary>Ends the device on <paramref name="on"/> for the ente's withdrawal; returns its new billing snapshot.</summary>
    [SiloInternal]
    Task<ChildSnapshot> EndForWithdrawalAsync(LocalDate on, string operatorName);

    /// <summary>The device; throws <c>CstDomainError</c> when it was never issued.</summary>
    Task<FirmaDeviceView> GetAsync();

    /// <summary>Handles the deadlines due by today (what the reminder does), then returns the device.</summary>
    Task<FirmaDeviceView> HandleDeadlinesAsync();
}
