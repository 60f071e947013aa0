namespace Diode.Edge.Watchdog;

/// <summary>
/// Open while every registered heartbeat is fresh and the system checks hold (and keep running). The pet loop asks
/// <see cref="FirstFailingCheck"/> before every pet: when healthy it allocates nothing; when not, it names what failed.
/// A check the reset-loop guard suspended (<see cref="Suspended"/>) does not close the gate; the agent's own liveness
/// always does.
/// </summary>
public sealed class HealthGate(TimeProvider time)
{
    /// <summary>The check named when the system checks stop reporting (the thread pool that runs them may be stuck).</summary>
    public const string SystemChecksRunning = "system checks";

    private readonly Lock _gate = new();
    private Heartbeat[] _heartbeats = [];
    private volatile GateFailure[] _systemFailures = [];
    private long _systemCheckedAt;
    private TimeSpan _systemStaleAfter;
    private volatile string? _suspended;

    public IReadOnlyList<Heartbeat> Heartbeats => Volatile.Read(ref _heartbeats);

    /// <summary>How long a newly registered loop may take to beat for the first time (<c>watchdog.startupGrace</c>).</summary>
    public TimeSpan FirstBeatAllowance { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The check (a <see cref="GateFailure.Check"/>) that no longer closes the gate because it reset the board on the
    /// last boots; null: none. A check of the agent's own liveness is never suspended, whatever is set here.
    /// </summary>
    public string? Suspended
    {
        get => _suspended;
        set => _suspended = value;
    }

    /// <summary>
    /// Adds a loop that must beat at least every <paramref name="staleAfter"/> (and first within <see cref="FirstBeatAllowance"/>).
    /// <paramref name="agentLiveness"/>: false for what the agent watches (a critical sensor), which the reset-loop guard may suspend.
    /// </summary>
    public Heartbeat Register(string name, TimeSpan staleAfter, bool agentLiveness = true)
    {
        var heartbeat = new Heartbeat(name, staleAfter, FirstBeatAllowance, agentLiveness, time);
        lock (_gate)
        {
            _heartbeats = [.. _heartbeats, heartbeat];
        }

        return heartbeat;
    }

    /// <summary>The system checks report here after every run, each failing check (empty: all hold); they count only while fresh.</summary>
    public void ReportSystemChecks(IReadOnlyList<GateFailure> failures, TimeSpan staleAfter)
    {
        ArgumentNullException.ThrowIfNull(failures);
        _systemStaleAfter = staleAfter;
        _systemFailures = [.. failures];
        Volatile.Write(ref _systemCheckedAt, time.GetTimestamp());
    }

    /// <summary>Null while the gate is open; otherwise what is wrong, in words for the log.</summary>
    public string? FirstFailure() => FirstFailingCheck()?.Message;

    /// <summary>
    /// Null while the gate is open; otherwise the check that closes it (a suspended one does not). A failure of the
    /// agent's own liveness comes first, so the boot history blames a hang, not a sensor that failed at the same time.
    /// </summary>
    public GateFailure? FirstFailingCheck()
    {
        string? suspended = _suspended;
        Heartbeat? staleWatched = null;
        foreach (var heartbeat in Volatile.Read(ref _heartbeats))
        {
            if (!heartbeat.IsStale)
            {
                continue;
            }

            if (heartbeat.AgentLiveness)
            {
                return Stale(heartbeat);
            }

            if (staleWatched is null && !string.Equals(heartbeat.Name, suspended, StringComparison.Ordinal))
            {
                staleWatched = heartbeat;
            }
        }

        long checkedAt = Volatile.Read(ref _systemCheckedAt);
        if (checkedAt != 0 && time.GetElapsedTime(checkedAt) is var age && age > _systemStaleAfter)
        {
            return new GateFailure(SystemChecksRunning, $"system checks: not run for {age.TotalSeconds:F0} s (the thread pool may be stuck)", AgentLiveness: true);
        }

        if (staleWatched is not null)
        {
            return Stale(staleWatched);
        }

        if (checkedAt != 0)
        {
            foreach (var failure in _systemFailures)
            {
                if (failure.AgentLiveness || !string.Equals(failure.Check, suspended, StringComparison.Ordinal))
                {
                    return failure;
                }
            }
        }

        return null;
    }

    private static GateFailure Stale(Heartbeat heartbeat) => new(
        heartbeat.Name,
        heartbeat.HasBeaten
            ? $"{heartbeat.Name}: no heartbeat for {Seconds(heartbeat.Age)} s (limit {Seconds(heartbeat.StaleAfter)} s)"
            : $"{heartbeat.Name}: no first heartbeat {Seconds(heartbeat.Age)} s after start (limit {Seconds(heartbeat.FirstBeatWithin)} s, watchdog.startupGrace)",
        heartbeat.AgentLiveness);

    /// <summary>
    /// Whether <paramref name="check"/> holds now: a heartbeat that has beaten and is fresh, or a system check that ran
    /// lately without failing. Unknown (not beaten yet, not run yet) is not passing.
    /// </summary>
    public bool Passes(string check)
    {
        foreach (var heartbeat in Volatile.Read(ref _heartbeats))
        {
            if (string.Equals(heartbeat.Name, check, StringComparison.Ordinal))
            {
                return heartbeat.HasBeaten && !heartbeat.IsStale;
            }
        }

        long checkedAt = Volatile.Read(ref _systemCheckedAt);
        if (checkedAt == 0 || time.GetElapsedTime(checkedAt) > _systemStaleAfter)
        {
            return false;
        }

        foreach (var failure in _systemFailures)
        {
            if (string.Equals(failure.Check, check, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whole seconds, or tenths below ten ("0.3", "6", "12"): a 300 ms limit does not read as "0 s".</summary>
    private static string Seconds(TimeSpan span) =>
        span.TotalSeconds.ToString(span.TotalSeconds < 10 ? "0.#" : "0", System.Globalization.CultureInfo.InvariantCulture);
}
