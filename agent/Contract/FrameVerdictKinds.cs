namespace Diode.Edge.Contract;

/// <summary>The fixed set of <see cref="FrameVerdict.Kind"/> values.</summary>
public static class FrameVerdictKinds
{
    public const string Malformed = "malformed";
#pragma warning disable CA1720 // "unsigned" says the frame has no sig (a verdict kind, public since the library is), not a type name.
    public const string Unsigned = "unsigned";
#pragma warning restore CA1720
    public const string BadSignature = "bad-signature";
    public const string Forged = "forged";
    public const string WrongDevice = "wrong-device";
    public const string OtherStream = "other-stream";
    public const string Replayed = "replayed";
}
