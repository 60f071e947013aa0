namespace Diode.Edge.Watchdog;

/// <summary>
/// Open while every registered heartbeat is fresh and the system checks hold (and keep running). The pet loop asks
/// <see cref="FirstFailure"/> before every pet: when healthy it allocates nothing; when not, it names what failed.
/// </summary>
public sealed class HealthGate(TimeProvider time)
{
    private readonly Lock _gate = new();
    private Heartbeat[] _heartbeats = [];
    private volatile string? _systemFailure;
    private long _systemCheckedAt;
    private TimeSpan _systemStaleAfter;

    public IReadOnlyList<Heartbeat> Heartbeats => Volatile.Read(ref _heartbeats);

    /// <summary>How long a newly registered loop may take to beat for the first time (<c>watchdog.startupGrace</c>).</summary>
    public TimeSpan FirstBeatAllowance { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Adds a loop that must beat at least every <paramref name="staleAfter"/> (and first within <see cref="FirstBeatAllowance"/>).</summary>
    public Heartbeat Register(string name, TimeSpan staleAfter)
    {
        var heartbeat = new Heartbeat(name, staleAfter, FirstBeatAllowance, time);
        lock (_gate)
        {
            _heartbeats = [.. _heartbeats, heartbeat];
        }

        return heartbeat;
    }

    /// <summary>The system checks report here after every run (null: all hold); their results count only while fresh.</summary>
    public void ReportSystemChecks(string? failure, TimeSpan staleAfter)
    {
        _systemStaleAfter = staleAfter;
        _systemFailure = failure;
        Volatile.Write(ref _systemCheckedAt, time.GetTimestamp());
    }

    /// <summary>Null while the gate is open; otherwise what is wrong, in words for the log.</summary>
    public string? FirstFailure()
    {
        foreach (var heartbeat in Volatile.Read(ref _heartbeats))
        {
            if (heartbeat.IsStale)
            {
                return heartbeat.HasBeaten
                    ? $"{heartbeat.Name}: no heartbeat for {Seconds(heartbeat.Age)} s (limit {Seconds(heartbeat.StaleAfter)} s)"
                    : $"{heartbeat.Name}: no first heartbeat {Seconds(heartbeat.Age)} s after start (limit {Seconds(heartbeat.FirstBeatWithin)} s, watchdog.startupGrace)";
            }
        }

        long checkedAt = Volatile.Read(ref _systemCheckedAt);
        if (checkedAt != 0)
        {
            if (_systemFailure is { } failure)
            {
                return failure;
            }

            var age = time.GetElapsedTime(checkedAt);
            if (age > _systemStaleAfter)
            {
                return $"system checks: not run for {age.TotalSeconds:F0} s (the thread pool may be stuck)";
            }
        }

        return null;
    }

    /// <summary>Whole seconds, or tenths below ten ("0.3", "6", "12"): a 300 ms limit does not read as "0 s".</summary>
    private static string Seconds(TimeSpan span) =>
        span.TotalSeconds.ToString(span.TotalSeconds < 10 ? "0.#" : "0", System.Globalization.CultureInfo.InvariantCulture);
}
