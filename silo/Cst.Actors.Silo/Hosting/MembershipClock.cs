using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Cst.Actors.Silo.Hosting;

/// <summary>
/// The clock of Orleans' membership and silo watchdog (<see cref="TimeProviderNames.Membership"/>): the same time and
/// timers as the silo's clock, with monotonic timestamps counted from when the silo was built instead of from when the
/// host booted.
/// </summary>
/// <remarks>
/// Why: Orleans 10.4.2's <c>Watchdog.Start</c> starts its platform thread before it records the component thread's
/// first timestamp. When the new thread runs first (most starts on 2 cores), it measures the time since timestamp 0,
/// which for the system clock (<c>Stopwatch</c>, CLOCK_MONOTONIC on Linux) is the host's uptime, and logs "Participant
/// check thread has not completed for 03:04:38", the uptime to the second (seen here: /proc/uptime 3:04:25 some 13 s
/// earlier), and records it as a health complaint of the silo. The warning at start is therefore spurious; a real
/// stall later is still reported. Counting timestamps from the silo's creation makes the unset timestamp read as the
/// seconds since the silo was built, below the warning's threshold (twice
/// <c>ClusterMembershipOptions.LocalHealthDegradationMonitoringPeriod</c>, 20 s). Membership only ever subtracts
/// timestamps of this same clock, so the offset changes no interval it measures.
/// </remarks>
public sealed class MembershipClock(TimeProvider inner) : TimeProvider
{
    private readonly long _origin = inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long GetTimestamp() => inner.GetTimestamp() - _origin;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);

    /// <summary>Gives the silo's membership and watchdog this clock over the silo's own <see cref="TimeProvider"/>.</summary>
    public static ISiloBuilder UseCstMembershipClock(ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Membership,
            (sp, _) => new MembershipClock(sp.GetRequiredService<TimeProvider>()));
        return builder;
    }
}
