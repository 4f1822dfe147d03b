using System.Diagnostics;
using Cst.Actors.Contracts.Errors;

namespace Cst.Actors.Admin.Infrastructure;

/// <summary>
/// How the console calls the cluster: a call that fails because a silo is going away (or the connection dropped) is
/// repeated with growing pauses until <see cref="Bound"/>; a domain error is never repeated. Repeating a change is safe
/// because every state-changing grain method is an idempotent upsert: if the first attempt did happen, the repeat
/// changes nothing and writes no second audit row; if it did not, the repeat does it. So an action either happened
/// (visible in the audit log) or did not, and the operator is told which is unknown only when the bound is reached.
/// </summary>
public sealed class CallPolicy
{
    public static CallPolicy Default { get; } = new(TimeSpan.FromSeconds(40));

    /// <summary>One attempt: a failure of transport is reported at once (as <see cref="AdminCallException"/>), for a caller that repeats by itself.</summary>
    public static CallPolicy Once { get; } = new(TimeSpan.Zero);

    public CallPolicy(TimeSpan bound)
    {
        Bound = bound;
    }

    public TimeSpan Bound { get; }

    /// <summary>
    /// Runs <paramref name="call"/> on the thread pool, repeating it while the cluster cannot be reached;
    /// <paramref name="retrying"/> is told each time a failed attempt is going to be repeated.
    /// </summary>
    /// <remarks>
    /// Off the caller's synchronization context on purpose. The Orleans client starts a gateway connection from the
    /// calling thread and, to release its lock, yields once with <c>Task.Yield</c>; under the console's context
    /// (Terminal.Gui runs work posted from its own thread at once) the attempt then ran inside that lock, and a
    /// connection refused at once (the silo restarting) was recorded as the gateway's pending attempt after having
    /// already failed: every later call waited on that failed attempt, and the console could never reach the cluster
    /// again. Orleans starts its client with <c>Task.Run</c> for the same reason.
    /// </remarks>
    public async Task<T> RunAsync<T>(string what, Func<Task<T>> call, Action? retrying = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        var elapsed = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                return await Task.Run(call);
            }
            catch (Exception e) when (IsTransient(e))
            {
                retrying?.Invoke();
                if (elapsed.Elapsed + pause > Bound)
                {
                    throw new AdminCallException(
                        $"The cluster did not answer while {what} ({ErrorText.Of(e)}); nothing is half done: "
                        + "check the audit log and repeat the action, which is safe to repeat.", e);
                }

                await Task.Delay(pause);
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 4000));
            }
        }
    }

    public Task RunAsync(string what, Func<Task> call, Action? retrying = null) =>
        RunAsync(
            what,
            async () =>
            {
                await call();
                return true;
            },
            retrying);

    /// <summary>Failures of transport or of a silo, not of the request: worth repeating.</summary>
    public static bool IsTransient(Exception e) =>
        e is TimeoutException
        || (e is OrleansException && e is not CstDomainError)
        || e is System.Net.Sockets.SocketException;
}

/// <summary>A call that could not be completed within the policy's bound; the message says what to do.</summary>
public sealed class AdminCallException(string message, Exception inner) : Exception(message, inner);
