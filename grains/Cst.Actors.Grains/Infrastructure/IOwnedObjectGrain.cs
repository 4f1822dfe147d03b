using Cst.Actors.Contracts;
using Cst.Actors.Contracts.Children;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>
/// What an ente asks of its objects inside the silo (mailboxes, devices, hosted services implement it; reach one with
/// <c>AsReference&lt;IOwnedObjectGrain&gt;()</c> on its own interface). Not for clients.
/// </summary>
[SiloInternal]
public interface IOwnedObjectGrain : IGrainWithStringKey
{
    /// <summary>
    /// The object's billing snapshot, as the ente <paramref name="enteId"/> keeps it; refused when the object does not
    /// exist or belongs to another ente.
    /// </summary>
    Task<ChildSnapshot> GetSnapshotForAsync(string enteId);

    /// <summary>
    /// The deadlines the read model lists for the object now (as its own writes do), for its ente to write them in one
    /// batch with its other objects' (a rebuild of the read model). Ente name left empty.
    /// </summary>
    Task<System.Collections.Immutable.ImmutableList<Contracts.Admin.UpcomingDeadline>> ListedDeadlinesAsync();
}

public static class OwnedObjects
{
    /// <summary>The object of <paramref name="kind"/> and <paramref name="key"/> as an <see cref="IOwnedObjectGrain"/>; null for a kind that has none.</summary>
    public static IOwnedObjectGrain? OwnedObject(this IGrainFactory grains, ChildKind kind, string key) => kind switch
    {
        ChildKind.PecMailbox => grains.GetGrain<Contracts.Pec.IPecMailboxGrain>(key).AsReference<IOwnedObjectGrain>(),
        ChildKind.FirmaDevice => grains.GetGrain<Contracts.Firma.IFirmaDeviceGrain>(key).AsReference<IOwnedObjectGrain>(),
        ChildKind.HostedService => grains.GetGrain<Contracts.Services.IHostedServiceGrain>(key).AsReference<IOwnedObjectGrain>(),
        _ => null,
    };
}
