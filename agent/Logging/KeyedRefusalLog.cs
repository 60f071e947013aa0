using System.Collections.Concurrent;

namespace Diode.Edge.Agent.Logging;

/// <summary>
/// A <see cref="RefusalLog"/> per key (a stream and a reason kind): at most one line per interval for each, with the
/// count held back. Keys come from a fixed set of kinds times the streams, but the table is capped anyway: past
/// <c>maxKeys</c>, the rest share one log.
/// </summary>
internal sealed class KeyedRefusalLog(TimeProvider time, TimeSpan interval, int maxKeys = 256)
{
    private readonly ConcurrentDictionary<string, RefusalLog> _logs = new(StringComparer.Ordinal);
    private readonly RefusalLog _overflow = new(time, interval);

    /// <inheritdoc cref="RefusalLog.ShouldLog"/>
    public bool ShouldLog(string key, out long suppressed) => For(key).ShouldLog(out suppressed);

    /// <summary>Every key with events held back since its last line, each reset: for a closing summary.</summary>
    public IReadOnlyList<(string Key, long Suppressed)> TakeSuppressed()
    {
        var held = new List<(string, long)>();
        foreach (var (key, log) in _logs)
        {
            if (log.TakeSuppressed() is > 0 and var count)
            {
                held.Add((key, count));
            }
        }

        if (_overflow.TakeSuppressed() is > 0 and var other)
        {
            held.Add(("(other)", other));
        }

        return held;
    }

    private RefusalLog For(string key) =>
        _logs.TryGetValue(key, out var log) ? log
        : _logs.Count >= maxKeys ? _overflow
        : _logs.GetOrAdd(key, _ => new RefusalLog(time, interval));
}
