namespace Diode.Edge.Watchdog;

/// <summary>One loop's sign of life in the <see cref="HealthGate"/>: <see cref="Beat"/> is a single volatile write.</summary>
public sealed class Heartbeat
{
    private readonly TimeProvider _time;
    private long _last;

    internal Heartbeat(string name, TimeSpan staleAfter, TimeProvider time)
    {
        Name = name;
        StaleAfter = staleAfter;
        _time = time;
        _last = time.GetTimestamp();
    }

    public string Name { get; }

    public TimeSpan StaleAfter { get; }

    public TimeSpan Age => _time.GetElapsedTime(Volatile.Read(ref _last));

    public bool IsStale => Age > StaleAfter;

    public void Beat() => Volatile.Write(ref _last, _time.GetTimestamp());
}
