using Cst.Actors.Contracts.Admin;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Cst.Actors.Admin.Infrastructure;

/// <summary>
/// What the view models share: the grain factory, the call policy and the operator named in the audit (the OS user
/// running <c>cst</c>); and whether the cluster can be reached, for the console's message line.
/// </summary>
public sealed class AdminSession
{
    /// <summary>Pause between two probes while the cluster cannot be reached.</summary>
    private static readonly TimeSpan ProbePause = TimeSpan.FromSeconds(2);

    private readonly IGrainFactory? _grains;

    private readonly IAdminQueryGrain? _queries;

    public AdminSession(IGrainFactory grains, string operatorName, CallPolicy? policy = null)
    {
        _grains = grains;
        Operator = operatorName;
        Policy = policy ?? CallPolicy.Default;

        // A client connected by AdminConnection reports its gateway connections; a test cluster's client does not.
        if ((grains as IClusterClient)?.ServiceProvider.GetService<ClusterStatus>() is { } status)
        {
            status.Lost += () => ClusterUnreachable?.Invoke();
        }
    }

    /// <summary>
    /// A session of the read-only commands answered from the database (<see cref="DatabaseSession"/>): its
    /// <see cref="Queries"/> read the read models with SQL, and there is no grain factory.
    /// </summary>
    public AdminSession(IAdminQueryGrain queries, string operatorName)
    {
        _queries = queries;
        Operator = operatorName;
        Policy = CallPolicy.Default;
    }

    public IGrainFactory Grains => _grains
        ?? throw new InvalidOperationException("This command answers from the database: it has no connection to the cluster.");

    public string Operator { get; }

    public CallPolicy Policy { get; }

    /// <summary>The cluster cannot be reached: a call is being repeated, or the client lost every gateway. Raised on any thread.</summary>
    public event Action? ClusterUnreachable;

    public IAdminQueryGrain Queries => _queries ?? Grains.GetGrain<IAdminQueryGrain>(IAdminQueryGrain.Key);

    public async Task<T> CallAsync<T>(string what, Func<Task<T>> call)
    {
        var result = await Policy.RunAsync(what, call, OnRetrying);
        Timings.Mark(what);
        return result;
    }

    public Task CallAsync(string what, Func<Task> call) => Policy.RunAsync(what, call, OnRetrying);

    /// <summary>Today on the cluster's clock (Europe/Rome).</summary>
    public Task<LocalDate> TodayAsync() => CallAsync("reading the date", () => Queries.TodayAsync());

    /// <summary>
    /// Returns once the cluster answers a call, probing it every <see cref="ProbePause"/> (the client reconnects on
    /// its own: each probe picks a gateway from the membership table's current list).
    /// </summary>
    public async Task WaitUntilReachableAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await Task.Run(() => Queries.TodayAsync(), ct);
                return;
            }
            catch (Exception e) when (CallPolicy.IsTransient(e))
            {
                await Task.Delay(ProbePause, ct);
            }
        }
    }

    private void OnRetrying() => ClusterUnreachable?.Invoke();
}
