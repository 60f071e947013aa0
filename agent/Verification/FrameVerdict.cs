using Diode.Edge.Agent.Streams;

namespace Diode.Edge.Agent.Verification;

/// <summary>What the verifier made of one frame: accepted or not and why, where it is, and how many frames were missed before it.</summary>
public sealed record FrameVerdict(bool Accepted, string? Reason, string? Stream, EventPosition Position, long Missed)
{
    public static FrameVerdict Rejected(string reason, string? stream = null, EventPosition position = default) => new(false, reason, stream, position, 0);
}
