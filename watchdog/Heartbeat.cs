namespace Diode.Edge.Watchdog;

/// <summary>
/// One loop's sign of life in the <see cref="HealthGate"/>: <see cref="Beat"/> is a single volatile write. Until its
/// first beat a loop has <see cref="FirstBeatWithin"/> (the start-up allowance: a cold start on a Pi Zero, or a board
/// under emulation, takes seconds before a sensor's first reading); after that, <see cref="StaleAfter"/>.
/// </summary>
public sealed class Heartbeat
{
    private readonly TimeProvider _time;
    private long _last;
    private long _staleAfterTicks;
    private volatile bool _beaten;

    internal Heartbeat(string name, TimeSpan staleAfter, TimeSpan firstBeatWithin, bool agentLiveness, TimeProvider time)
    {
        Name = name;
        AgentLiveness = agentLiveness;
        _staleAfterTicks = staleAfter.Ticks;
        FirstBeatWithin = firstBeatWithin > staleAfter ? firstBeatWithin : staleAfter;
        _time = time;
        _last = time.GetTimestamp();
    }

    public string Name { get; }

    /// <summary>The agent's own liveness (the host, the Diode supervisor), not something it watches (a critical sensor): never suspended by the reset-loop guard.</summary>
    public bool AgentLiveness { get; }

    /// <summary>How long after a beat the loop counts as stuck; changed when its loop's interval changes (a deployment applied in place).</summary>
    public TimeSpan StaleAfter
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _staleAfterTicks));
        set => Volatile.Write(ref _staleAfterTicks, value.Ticks);
    }

    /// <summary>How long the loop may take to beat for the first time (at least <see cref="StaleAfter"/>).</summary>
    public TimeSpan FirstBeatWithin { get; }

    /// <summary>Whether the loop has beaten at all.</summary>
    public bool HasBeaten => _beaten;

    /// <summary>Time since the last beat (or since registration, before the first).</summary>
    public TimeSpan Age => _time.GetElapsedTime(Volatile.Read(ref _last));

    public bool IsStale => Age > (_beaten ? StaleAfter : FirstBeatWithin);

    public void Beat()
    {
        Volatile.Write(ref _last, _time.GetTimestamp());
        _beaten = true;
    }
}
