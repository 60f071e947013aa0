namespace Diode.Edge.Agent.Relay;

/// <summary>What the relay has forwarded and refused, for /health and /metrics.</summary>
internal sealed class RelayCounters
{
    private long _forwarded;
    private long _rejected;
    private long _duplicates;
    private long _reconnects;
    private long _oversized;

    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Frames that failed verification (forged, altered, signed by another key) and were not forwarded.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Frames already forwarded (replayed or reordered by the upstream, or seen again after a reconnection) and dropped.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Upstream lines longer than the bound, skipped without being buffered.</summary>
    public long OversizedLines => Interlocked.Read(ref _oversized);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public string? LastRejection { get; private set; }

    public bool Connected { get; set; }

    internal void CountForwarded() => Interlocked.Increment(ref _forwarded);

    internal void CountDuplicate() => Interlocked.Increment(ref _duplicates);

    internal void CountOversized(long lines) => Interlocked.Add(ref _oversized, lines);

    internal void CountReconnect() => Interlocked.Increment(ref _reconnects);

    internal void CountRejected(string reason)
    {
        Interlocked.Increment(ref _rejected);
        LastRejection = reason;
    }
}
