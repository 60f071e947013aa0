namespace Diode.Edge.Contract;

/// <summary>The fixed set of <see cref="FrameVerdict.Kind"/> values.</summary>
public static class FrameVerdictKinds
{
    public const string Malformed = "malformed";
#pragma warning disable CA1720 // "unsigned" is the frame's state (no sig), the word docs/stream-contract.md uses, not a type name.
    public const string Unsigned = "unsigned";
#pragma warning restore CA1720
    public const string BadSignature = "bad-signature";
    public const string Forged = "forged";
    public const string WrongDevice = "wrong-device";
    public const string OtherStream = "other-stream";
    public const string Replayed = "replayed";
}
