namespace Diode.Edge.Agent.Logging;

/// <summary>At most one log line per <c>interval</c>; says how many were held back in between (the Diode port's refusals, the relay's and subscribe's rejected frames).</summary>
internal sealed class RefusalLog(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long _lastLogged = long.MinValue;
    private long _suppressed;

    /// <summary>True when this event gets a line; <paramref name="suppressed"/> is the count of events without one since the last line.</summary>
    public bool ShouldLog(out long suppressed)
    {
        lock (_gate)
        {
            long now = time.GetTimestamp();
            if (_lastLogged != long.MinValue && time.GetElapsedTime(_lastLogged, now) < interval)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }

            _lastLogged = now;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }

    /// <summary>The events held back since the last line, now reset: for a closing line when no event will come to carry them.</summary>
    public long TakeSuppressed()
    {
        lock (_gate)
        {
            long suppressed = _suppressed;
            _suppressed = 0;
            return suppressed;
        }
    }
}
