using Cst.Actors.Contracts.Firma;
using Cst.Actors.Contracts.Pec;
using Cst.Actors.Contracts.Services;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Orleans.Configuration;

namespace Cst.Actors.Grains.Infrastructure;

/// <summary>
/// When a silo starts, handles at once every deadline that fell while the cluster was down: it asks each object whose
/// deadline reminder is overdue to handle its deadlines, instead of waiting for the reminder's next tick.
/// </summary>
/// <remarks>
/// Why it is needed: Orleans fires a reminder whose due time passed while no silo ran at the next multiple of its
/// period after that time (<c>LocalReminderService.CalculateNextTickTime</c>), not at start; with the objects' 7-day
/// safety period a cessation or an expiry could be noticed up to 7 days late. Each object's reminder is armed for the
/// handling instant of its next deadline (<see cref="OwnedObjectGrain{TState}"/>), so the reminders table is the index
/// of next deadlines: a row of <see cref="OwnedObjectGrain{TState}.ReminderName"/> whose start time is not after now
/// names an object with a deadline due and not handled. The object works out what is due from its persisted progress
/// and re-arms, and notices are unique per (object, kind, due date): a deadline is noticed once however many silos
/// sweep or ticks arrive. The sweep runs in the background once the silo is active; an object that fails is left to
/// its reminder and its next activation, as before.
/// </remarks>
public sealed class OverdueDeadlineSweep(
    NpgsqlDataSource dataSource,
    IGrainFactory grains,
    IClock clock,
    IOptions<ClusterOptions> cluster,
    ILogger<OverdueDeadlineSweep> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int PageSize = 1_000;

    private const int Parallelism = 8;

    private readonly CancellationTokenSource _stopping = new();

    private Task? _sweep;

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(OverdueDeadlineSweep), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);
    }

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _sweep = Task.Run(() => SweepAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_sweep is not null)
        {
            await _sweep.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Asks every object with an overdue deadline reminder to handle its deadlines; returns how many were asked.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var asked = 0;
        var failed = 0;
        try
        {
            var now = clock.GetCurrentInstant().ToDateTimeUtc();
            string? after = null;
            while (!cancellationToken.IsCancellationRequested)
            {
                var page = await OverdueAsync(now, after, cancellationToken).ConfigureAwait(false);
                if (page.Count == 0)
                {
                    break;
                }

                await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                    async (grainId, _) =>
                    {
                        try
                        {
                            await HandleAsync(grainId).ConfigureAwait(false);
                            Interlocked.Increment(ref asked);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            Interlocked.Increment(ref failed);
                            logger.LogWarning("Overdue deadlines of {GrainId} not handled at start ({Error}); its reminder will handle them",
                                grainId, e.Message);
                        }
                    }).ConfigureAwait(false);
                after = page[^1];
            }
        }
        catch (Exception e) when (e is OperationCanceledException or NpgsqlException)
        {
            logger.LogWarning("The start-up sweep of overdue deadlines stopped after {Asked} object(s): {Error}", asked, e.Message);
            return asked;
        }

        if (asked + failed > 0)
        {
            logger.LogInformation("Start-up sweep: {Asked} object(s) with deadlines due while the cluster was down handled, {Failed} failed",
                asked, failed);
        }

        return asked;
    }

    private async Task<List<string>> OverdueAsync(DateTime now, string? after, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT grain_id FROM orleans_reminders
            WHERE service_id = $1 AND reminder_name = $2 AND start_time <= $3 AND ($4::text IS NULL OR grain_id > $4)
            ORDER BY grain_id
            LIMIT $5
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = cluster.Value.ServiceId });
        command.Parameters.Add(new NpgsqlParameter { Value = OwnedObjectGrain<FirmaDeviceState>.ReminderName });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)after ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = PageSize });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>The grain id is "type/key" (the key of a hosted service has slashes of its own).</summary>
    private Task HandleAsync(string grainId)
    {
        var slash = grainId.IndexOf('/', StringComparison.Ordinal);
        var (type, key) = slash < 0 ? (grainId, string.Empty) : (grainId[..slash], grainId[(slash + 1)..]);
        return type switch
        {
            "pecmailbox" => grains.GetGrain<IPecMailboxGrain>(key).HandleDeadlinesAsync(),
            "firmadevice" => grains.GetGrain<IFirmaDeviceGrain>(key).HandleDeadlinesAsync(),
            "hostedservice" => grains.GetGrain<IHostedServiceGrain>(key).HandleDeadlinesAsync(),
            _ => Task.CompletedTask,
        };
    }
}
