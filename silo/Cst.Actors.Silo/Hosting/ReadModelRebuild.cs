using System.Diagnostics;
using Cst.Actors.Contracts.Enti;
using Cst.Actors.Grains.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Cst.Actors.Silo.Hosting;

/// <summary>
/// Writes the read models (sql/schema/0012 deadlines, 0013 enti list) again from the grains: every ente of the directory
/// writes its row, then asks each of its objects for its upcoming deadlines and writes them in one batch. Every write
/// replaces what is there, so running it again (or while the silos serve) is safe. Used by
/// <c>cst-silo rebuild-read-models</c>, and once at start on a database with enti whose enti list is empty (a database
/// migrated from before 0013).
/// </summary>
public static class ReadModelRebuild
{
    /// <summary>How many enti rebuild at once: bounded, so a national directory never activates everything at once.</summary>
    private const int Parallelism = 4;

    /// <summary>Rebuilds both tables; logs progress every tenth of the enti; returns (enti, objects).</summary>
    public static async Task<(int Enti, int Objects)> RunAsync(IGrainFactory grains, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(logger);
        var started = Stopwatch.StartNew();
        var enti = await grains.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key).ListAsync().ConfigureAwait(false);
        logger.LogInformation("Rebuilding the read models (enti list, upcoming deadlines) of {Count} enti", enti.Count);
        var done = 0;
        var objects = 0;
        var nextReport = Math.Max(1, enti.Count / 10);
        await Parallel.ForEachAsync(enti, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (entry, _) =>
            {
                var written = await grains.GetGrain<IEnteGrain>(entry.EnteId).RebuildReadModelsAsync().ConfigureAwait(false);
                Interlocked.Add(ref objects, written);
                var count = Interlocked.Increment(ref done);
                if (count % nextReport == 0 || count == enti.Count)
                {
                    logger.LogInformation("Read models: {Done} of {Count} enti ({Objects} objects) after {Seconds:F0} s",
                        count, enti.Count, Volatile.Read(ref objects), started.Elapsed.TotalSeconds);
                }
            }).ConfigureAwait(false);
        logger.LogInformation("Read models rebuilt: {Count} enti, {Objects} objects in {Seconds:F1} s", enti.Count, objects, started.Elapsed.TotalSeconds);
        return (enti.Count, objects);
    }

    /// <summary>
    /// At start: when the enti list is empty but the directory has enti (the tables were just created on an existing
    /// database, or emptied), rebuilds them. Otherwise does nothing, at the cost of one query.
    /// </summary>
    public static async Task FillIfEmptyAsync(IGrainFactory grains, IReadModelStore store, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!await store.IsEnteSummaryEmptyAsync().ConfigureAwait(false)
            || (await grains.GetGrain<IEnteDirectoryGrain>(IEnteDirectoryGrain.Key).ListAsync().ConfigureAwait(false)).Count == 0)
        {
            return;
        }

        logger.LogWarning("The enti list and deadline read models are empty on a database with enti (a migration to 0012/0013): filling them now; the console's lists are incomplete until done");
        await RunAsync(grains, logger, cancellationToken).ConfigureAwait(false);
    }
}
