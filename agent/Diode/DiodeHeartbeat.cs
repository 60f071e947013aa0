using Diode.Edge.Watchdog;

namespace Diode.Edge.Agent.Diode;

/// <summary>
/// The supervisor's beat in the health gate. Not the agent's liveness: it stops beating when the client was offline
/// longer than <c>diode.unhealthyWhenOfflineFor</c>, a condition outside the agent (a dead uplink), which the reset-loop
/// guard may suspend after repeated resets. A thread pool too stuck to beat it stops the host heartbeat (10 s) long
/// before this one (30 s).
/// </summary>
internal static class DiodeHeartbeat
{
    /// <summary>How long the gate waits for a beat.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Beats every 5 s while the client has not been failing for longer than <paramref name="unhealthyAfter"/> (never too long when null), until cancelled.</summary>
    public static async Task BeatAsync(Heartbeat heartbeat, Func<DiodeStatus> status, TimeSpan? unhealthyAfter, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        ArgumentNullException.ThrowIfNull(status);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        try
        {
            do
            {
                bool offlineTooLong = unhealthyAfter is { } limit && status().FailingSince is { } since && time.GetUtcNow() - since > limit;
                if (!offlineTooLong)
                {
                    heartbeat.Beat();
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
