using System.Text.Json;

namespace Diode.Edge.Tests.Support;

/// <summary>One signed payload of <see cref="GoldenVectorFile"/>.</summary>
public sealed record GoldenVector(string Payload, string Sig)
{
    /// <summary>The frame as the agent sends it in an SSE data line: <c>{"payload":"…","sig":"0x…"}</c>.</summary>
    public byte[] FrameJson() => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["payload"] = Payload, ["sig"] = Sig });
}
