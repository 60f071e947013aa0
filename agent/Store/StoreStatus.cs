namespace Diode.Edge.Agent.Store;

/// <summary>A snapshot of the store for /health and /metrics.</summary>
internal sealed record StoreStatus(
    bool Enabled,
    bool Writable,
    string? Problem,
    long SizeBytes,
    long Frames,
    DateTimeOffset? OldestFrameAt,
    DateTimeOffset? LastWriteAt,
    long FramesWritten,
    long FramesDropped,
    long WriteErrors,
    long Batches,
    IReadOnlyDictionary<string, long> DurableSeq);
