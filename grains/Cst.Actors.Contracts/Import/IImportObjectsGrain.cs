using System.Collections.Immutable;
using Cst.Actors.Contracts.Children;

namespace Cst.Actors.Contracts.Import;

/// <summary>
/// Applies the new objects of one ente of a bulk import in one call: each object's own operations, checks and
/// deadlines run as its grain runs them, but without activating it (no storage read, no activation to collect), its
/// rows go to the import's batch writer with the other objects', and the ente stores all their snapshots (and its enti
/// list row) in one write. Only for objects with no stored state (<see cref="IImportLookupGrain.HeldAsync"/>).
/// </summary>
public interface IImportObjectsGrain : IGrainWithIntegerKey
{
    /// <summary>The one grain callers use (a stateless worker, reentrant: many enti at a time).</summary>
    public const long Key = 0;

    /// <summary>
    /// Imports the objects, none of which may have a stored state. Those applied are written and attached to ente
    /// <paramref name="enteId"/> even when another fails; then the first failure is thrown (what was written stays, and
    /// importing the same document again completes the rest, as for the other modes). Returns the objects applied.
    /// </summary>
    Task<ImmutableList<ImportedChild>> ImportNewAsync(string enteId, ImmutableList<ImportMailbox> mailboxes,
        ImmutableList<ImportDevice> devices, ImmutableList<ImportService> services, string operatorName);
}
