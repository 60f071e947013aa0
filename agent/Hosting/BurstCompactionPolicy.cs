namespace Diode.Edge.Agent.Hosting;

/// <summary>
/// When a burst of consumers has come and settled: at least <see cref="Burst"/> subscriptions opened since the last
/// compaction (or start), and fewer than <see cref="Settled"/> in the last interval. Fed the hub's count of opened
/// subscriptions once per interval.
/// </summary>
internal sealed class BurstCompactionPolicy
{
    public const long Burst = 1_000;
    public const long Settled = 100;

    private long _atLastCompaction;
    private long _atLastTick;

    /// <summary>True when a compaction is due now; it is then counted as done.</summary>
    public bool ShouldCompact(long opened)
    {
        long sinceCompaction = opened - _atLastCompaction;
        long lastInterval = opened - _atLastTick;
        _atLastTick = opened;
        if (sinceCompaction < Burst || lastInterval >= Settled)
        {
            return false;
        }

        _atLastCompaction = opened;
        return true;
    }
}
