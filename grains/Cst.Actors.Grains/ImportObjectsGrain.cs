using System.Collections.Immutable;
using Cst.Actors.Contracts.Children;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Contracts.Errors;
using Cst.Actors.Contracts.Import;
using Cst.Actors.Grains.Infrastructure;
using Orleans.Concurrency;

namespace Cst.Actors.Grains;

/// <summary>
/// Applies an ente's new objects of a bulk import without activating them (<see cref="IImportObjectsGrain"/>). Each
/// object runs its own grain's code on an instance no activation holds (<see cref="DetachedImport"/>): the domain's
/// checks of every operation, the ente's membership and its check of the snapshot (against the membership the ente
/// gave, in memory, so a refused object fails alone), the deadlines and their notices,
/// exactly as <c>ImportAsync</c> on an activation. Then, for the whole ente: (1) the rows of every object applied
/// (state, reminder, audit, notices, deadline rows) in the batch writer's transaction; (2) their snapshots stored by
/// the ente in one write with its enti list row; (3) the few objects whose reminder is due within minutes activated,
/// which arms it. A national import so costs no activation per object and one ente write per ente.
/// </summary>
/// <remarks>
/// If step 1 fails nothing of those objects is stored and the ente is left as it was; if step 2 fails the objects are
/// stored but the ente misses their snapshots: the same file imported again finds them stored, asks each (its
/// activation puts its snapshot back with the ente) and attaches them, so the import converges either way.
/// </remarks>
[StatelessWorker]
[Reentrant]
[GrainType("importobjects")]
public sealed class ImportObjectsGrain(GrainServices grainServices) : Grain, IImportObjectsGrain
{
    public async Task<ImmutableList<ImportedChild>> ImportNewAsync(string enteId, ImmutableList<ImportMailbox> mailboxes,
        ImmutableList<ImportDevice> devices, ImmutableList<ImportService> services, string operatorName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(enteId);
        ArgumentNullException.ThrowIfNull(mailboxes);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(services);
        if (grainServices.ImportWriter is not { Enabled: true } writer)
        {
            throw new CstInfrastructureError("This silo cannot write imported objects in batches (Import:BatchWrites is off); import them one by one");
        }

        var membership = await GrainFactory.GetGrain<IEnteGrain>(enteId).GetMembershipAsync();
        // The ente's listino asked once for all its objects, as its membership is.
        var catalogue = new OncePerCallCatalogue(grainServices.Catalogue);
        var applied = mailboxes.Select(m => Apply(enteId, membership, catalogue, ChildKind.PecMailbox, "pecmailbox", ImportValidator.MailboxKey(m),
                (d, s) =>
                {
                    var grain = new PecMailboxGrain(new DetachedState<PecMailboxState>(), s);
                    grain.Detach(d);
                    return grain.ImportAsync(enteId, m, operatorName);
                }))
            .Concat(devices.Select(x => Apply(enteId, membership, catalogue, ChildKind.FirmaDevice, "firmadevice", x.Serial.Trim(),
                (d, s) =>
                {
                    var grain = new FirmaDeviceGrain(new DetachedState<FirmaDeviceState>(), s);
                    grain.Detach(d);
                    return grain.ImportAsync(enteId, x, operatorName);
                })))
            .Concat(services.Select(x => Apply(enteId, membership, catalogue, ChildKind.HostedService, "hostedservice", ImportValidator.ServiceKey(enteId, x),
                (d, s) =>
                {
                    var grain = new HostedServiceGrain(new DetachedState<HostedServiceState>(), s);
                    grain.Detach(d);
                    return grain.ImportAsync(enteId, x, operatorName);
                })))
            .ToList();

        // The objects run side by side; none calls the ente (its membership is asked above, its check runs in memory and
        // again in the ente when it stores the snapshots).
        // All of them, refused or not, before anything is written: awaiting the failure of one must not leave the others unwritten.
        await Task.WhenAll(applied.Select(a => (Task)a.Run)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        var failure = applied.Select(a => a.Run.Exception?.InnerException).FirstOrDefault(e => e is not null);
        var done = applied.Where(a => a.Run.IsCompletedSuccessfully && a.Import.Rows is not null).ToList();
        if (done.Count > 0)
        {
            await Task.WhenAll(done.Select(a => writer.WriteAsync(a.Import.Rows!)));
            await GrainFactory.GetGrain<IEnteGrain>(enteId).PutChildrenAsync([.. done.Select(a => a.Run.Result.Snapshot)]);
            foreach (var soon in done.Where(a => a.Import.ArmOnActivation))
            {
                await GrainFactory.OwnedObject(soon.Kind, soon.Import.Key)!.GetSnapshotForAsync(enteId);
            }
        }

        if (failure is not null)
        {
            throw failure;
        }

        return [.. applied.Where(a => a.Run.IsCompletedSuccessfully).Select(a => a.Run.Result)];
    }

    private (ChildKind Kind, DetachedImport Import, Task<ImportedChild> Run) Apply(string enteId, EnteMembership membership,
        ICatalogueSource catalogue, ChildKind kind, string grainType, string key, Func<DetachedImport, GrainServices, Task<ImportedChild>> import)
    {
        var detached = new DetachedImport(GrainId.Create(grainType, key), key, enteId, membership);
        return (kind, detached, RunAsync(() => import(detached, grainServices.WithNotices(detached, catalogue))));
    }

    /// <summary>A failure of the object's code becomes its task's, never this call's before the others ran.</summary>
    private static async Task<ImportedChild> RunAsync(Func<Task<ImportedChild>> run) => await run();
}

/// <summary>The state of a detached instance: in memory only; it never reads or writes storage.</summary>
internal sealed class DetachedState<T> : IPersistentState<T>
    where T : class, new()
{
    public T State { get; set; } = new();

    public string? Etag => null;

    public bool RecordExists => false;

    public Task ReadStateAsync() => throw new InvalidOperationException("a detached import reads no state");

    public Task WriteStateAsync() => throw new InvalidOperationException("a detached import writes no state of its own");

    public Task ClearStateAsync() => throw new InvalidOperationException("a detached import clears no state");
}
