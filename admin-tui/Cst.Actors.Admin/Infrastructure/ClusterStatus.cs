namespace Cst.Actors.Admin.Infrastructure;

/// <summary>
/// What the Orleans client tells of its gateway connections (on its own threads): the console says the cluster is not
/// reachable as soon as the last gateway connection closes, even while the operator is idle.
/// </summary>
public sealed class ClusterStatus : IClusterConnectionStatusObserver
{
    /// <summary>Every gateway connection closed (a silo stopped or restarts).</summary>
    public event Action? Lost;

    public void NotifyClusterConnectionLost() => Lost?.Invoke();

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        // The console learns that the cluster is back from a call that answers (AdminSession.WaitUntilReachableAsync),
        // which also proves the grains answer, not only that a socket opened.
    }
}
