namespace Diode.Edge.Contract;

/// <summary>What the verifier made of one frame: accepted or not and why, where it is, and how many frames were missed before it.</summary>
public sealed record FrameVerdict(bool Accepted, string? Reason, string? Stream, EventPosition Position, long Missed)
{
    /// <summary>The reason kind, one of a few fixed words ("forged", "replayed", "other-stream"…): a bounded key for counting and rate-limiting, unlike <see cref="Reason"/>.</summary>
    public string? Kind { get; init; }

    /// <summary>A replayed or reordered frame: a duplicate to drop, not a forgery.</summary>
    public bool IsReplay => Kind == FrameVerdictKinds.Replayed;

    internal static FrameVerdict Rejected(string reason, string? stream = null, EventPosition position = default) => Rejected(FrameVerdictKinds.Malformed, reason, stream, position);

    internal static FrameVerdict Rejected(string kind, string reason, string? stream, EventPosition position) => new(false, reason, stream, position, 0) { Kind = kind };
}
