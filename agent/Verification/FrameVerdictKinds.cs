namespace Diode.Edge.Agent.Verification;

/// <summary>The fixed set of <see cref="FrameVerdict.Kind"/> values.</summary>
internal static class FrameVerdictKinds
{
    public const string Malformed = "malformed";
    public const string Unsigned = "unsigned";
    public const string BadSignature = "bad-signature";
    public const string Forged = "forged";
    public const string WrongDevice = "wrong-device";
    public const string OtherStream = "other-stream";
    public const string Replayed = "replayed";
}
