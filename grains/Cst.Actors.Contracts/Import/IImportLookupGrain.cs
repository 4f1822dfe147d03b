using System.Collections.Immutable;
using Cst.Actors.Contracts.Children;

namespace Cst.Actors.Contracts.Import;

/// <summary>
/// Which objects of an import the engine already holds, answered from the stored rows in one query: the importer asks
/// only those for their facts, instead of activating every object of a new ente to hear that it does not exist.
/// </summary>
public interface IImportLookupGrain : IGrainWithIntegerKey
{
    /// <summary>The one grain callers use (a stateless worker: as many activations as the load needs).</summary>
    public const long Key = 0;

    /// <summary>
    /// The objects among <paramref name="objects"/> that may exist: those with a stored state, or all of them where
    /// the silo cannot tell (then the importer asks each).
    /// </summary>
    Task<ImmutableList<ChildKey>> HeldAsync(ImmutableList<ChildKey> objects);
}
