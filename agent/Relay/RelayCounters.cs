namespace Diode.Edge.Agent.Relay;

/// <summary>What the relay has forwarded and refused, for /health and /metrics.</summary>
public sealed class RelayCounters
{
    private long _forwarded;
    private long _rejected;
    private long _duplicates;
    private long _reconnects;

    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Frames that failed verification (forged, altered, signed by another key) and were not forwarded.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public string? LastRejection { get; private set; }

    public bool Connected { get; set; }

    internal void CountForwarded() => Interlocked.Increment(ref _forwarded);

    internal void CountDuplicate() => Interlocked.Increment(ref _duplicates);

    internal void CountReconnect() => Interlocked.Increment(ref _reconnects);

    internal void CountRejected(string reason)
    {
        Interlocked.Increment(ref _rejected);
        LastRejection = reason;
    }
}
