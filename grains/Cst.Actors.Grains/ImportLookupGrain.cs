using System.Collections.Immutable;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Grains.Infrastructure;
using Orleans.Concurrency;

namespace Cst.Actors.Grains;

/// <summary>Answers which of an import's objects have a stored state (<see cref="ImportedObjectWriter.StoredAsync"/>).</summary>
[StatelessWorker]
[GrainType("importlookup")]
public sealed class ImportLookupGrain(GrainServices services) : Grain, IImportLookupGrain
{
    public async Task<ImmutableList<ChildKey>> HeldAsync(ImmutableList<ChildKey> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        if (services.ImportWriter is not { Enabled: true } writer || objects.Count == 0)
        {
            return objects;
        }

        var stored = await writer.StoredAsync([.. objects.Select(o => (StateNameOf(o.Kind), GrainId.Create(StateNameOf(o.Kind), o.Key)))]);
        return [.. objects.Where((_, i) => stored.Contains(i))];
    }

    /// <summary>The grain type of each kind of object, which is also the name of its persistent state.</summary>
    private static string StateNameOf(ChildKind kind) => kind switch
    {
        ChildKind.PecMailbox => "pecmailbox",
        ChildKind.FirmaDevice => "firmadevice",
        ChildKind.HostedService => "hostedservice",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an owned object"),
    };
}
