using Cst.Actors.Contracts.Admin;
using NodaTime;

namespace Cst.Actors.Admin.Infrastructure;

/// <summary>
/// What the view models share: the grain factory, the call policy and the operator named in the audit (the OS user
/// running <c>cst</c>).
/// </summary>
public sealed class AdminSession(IGrainFactory grains, string operatorName, CallPolicy? policy = null)
{
    public IGrainFactory Grains { get; } = grains;

    public string Operator { get; } = operatorName;

    public CallPolicy Policy { get; } = policy ?? CallPolicy.Default;

    public IAdminQueryGrain Queries => Grains.GetGrain<IAdminQueryGrain>(IAdminQueryGrain.Key);

    public Task<T> CallAsync<T>(string what, Func<Task<T>> call) => Policy.RunAsync(what, call);

    public Task CallAsync(string what, Func<Task> call) => Policy.RunAsync(what, call);

    /// <summary>Today on the cluster's clock (Europe/Rome).</summary>
    public Task<LocalDate> TodayAsync() => CallAsync("reading the date", () => Queries.TodayAsync());
}
