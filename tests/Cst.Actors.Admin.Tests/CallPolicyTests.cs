using Cst.Actors.Admin.Infrastructure;

namespace Cst.Actors.Admin.Tests;

/// <summary>How the console calls the cluster, without a cluster.</summary>
public sealed class CallPolicyTests
{
    [Fact]
    public async Task RunAsync_UnderAContextThatRunsPostedWorkInline_CallsTheClusterOffIt()
    {
        // Terminal.Gui's context runs work posted from its own thread at once; the Orleans client must never run under
        // it (its gateway connection attempts then stuck for good after a silo restart).
        var policy = new CallPolicy(TimeSpan.FromSeconds(5));
        SynchronizationContext? seen = new InlineContext();
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(new InlineContext());
        try
        {
            await policy.RunAsync("reading the date", () =>
            {
                seen = SynchronizationContext.Current;
                return Task.FromResult(0);
            });
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        Assert.True(seen is null, $"the call ran under {seen?.GetType().Name}, the caller's synchronization context");
    }

    [Fact]
    public async Task RunAsync_ClusterAwayThenBack_SaysItIsRetryingAndReturnsTheAnswer()
    {
        var policy = new CallPolicy(TimeSpan.FromSeconds(20));
        var attempts = 0;
        var retrying = 0;

        var answer = await policy.RunAsync(
            "reading the date",
            () => ++attempts < 3 ? throw new TimeoutException("no gateway") : Task.FromResult(42),
            () => retrying++);

        Assert.Equal(42, answer);
        Assert.Equal(3, attempts);
        Assert.Equal(2, retrying);
    }

    private sealed class InlineContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) => d(state);
    }
}
