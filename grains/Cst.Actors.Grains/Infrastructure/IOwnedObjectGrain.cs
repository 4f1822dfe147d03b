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
}
