using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Contract;
using Diode.Edge.Sensors;

using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Identity;

/// <summary>Every way a relay or an attacker could alter the stream is rejected, with the reason.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class TamperTests
{
    private static readonly DeviceKey Device = new("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    private static readonly DeviceKey Other = new("8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f");

    [Fact]
    public void Genuine_frames_in_order_are_accepted_and_a_gap_is_reported()
    {
        var frames = SignedFrames.Make(Device, 5);
        var verifier = new FrameVerifier(Device.Address);

        Assert.True(verifier.Verify(frames[0].Json.Span).Accepted);
        Assert.True(verifier.Verify(frames[1].Json.Span).Accepted);
        var afterGap = verifier.Verify(frames[4].Json.Span);

        Assert.True(afterGap.Accepted);
        Assert.Equal(2, afterGap.Missed);
        Assert.Equal("env", afterGap.Stream);
    }

    [Fact]
    public void A_flipped_byte_in_the_payload_is_rejected_as_forged()
    {
        string json = Encoding.UTF8.GetString(SignedFrames.Make(Device, 1)[0].Json.Span);
        string altered = json.Replace("\\\"seq\\\":1", "\\\"seq\\\":7", StringComparison.Ordinal);

        var verdict = new FrameVerifier(Device.Address).Verify(Encoding.UTF8.GetBytes(altered));

        Assert.False(verdict.Accepted);
        Assert.Contains("forged or altered", verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(40)]
    [InlineData(129)]
    [InlineData(131)]
    public void A_flipped_character_in_the_signature_is_rejected(int index)
    {
        using var doc = JsonDocument.Parse(SignedFrames.Make(Device, 1)[0].Json);
        string payload = doc.RootElement.GetProperty("payload").GetString()!;
        char[] sig = doc.RootElement.GetProperty("sig").GetString()!.ToCharArray();
        sig[index] = sig[index] == 'a' ? 'b' : 'a';

        var verdict = new FrameVerifier(Device.Address).Verify(payload, new string(sig));

        Assert.False(verdict.Accepted);
        Assert.False(string.IsNullOrEmpty(verdict.Reason));
    }

    [Fact]
    public void A_frame_signed_by_another_key_is_rejected()
    {
        var verdict = new FrameVerifier(Device.Address).Verify(SignedFrames.Make(Other, 1)[0].Json.Span);

        Assert.False(verdict.Accepted);
        Assert.Contains($"signed by {Other.Address}", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_payload_naming_another_device_than_its_signer_is_rejected()
    {
        string payload = $$$"""{"v":1,"device":"{{{Other.Address}}}","stream":"env","epoch":1,"seq":1,"ts":"2026-11-24T10:00:00.000Z","values":{},"units":{}}""";
        string sig = Device.Sign(Encoding.UTF8.GetBytes(payload));

        var verdict = new FrameVerifier(Device.Address).Verify(payload, sig);

        Assert.False(verdict.Accepted);
        Assert.Contains($"payload names device {Other.Address}", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_replayed_or_reordered_frame_is_rejected()
    {
        var frames = SignedFrames.Make(Device, 3);
        var verifier = new FrameVerifier(Device.Address);
        Assert.True(verifier.Verify(frames[0].Json.Span).Accepted);
        Assert.True(verifier.Verify(frames[2].Json.Span).Accepted);

        var replay = verifier.Verify(frames[2].Json.Span);
        var reordered = verifier.Verify(frames[1].Json.Span);

        Assert.False(replay.Accepted);
        Assert.StartsWith("replayed or reordered", replay.Reason, StringComparison.Ordinal);
        Assert.False(reordered.Accepted);
        Assert.StartsWith("replayed or reordered", reordered.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"payload":"{}"}""", "unsigned frame")]
    [InlineData("""{"sig":"0x00"}""", "no payload")]
    [InlineData("""not json""", "malformed JSON")]
    public void Malformed_frames_are_rejected_with_the_reason(string frame, string reason)
    {
        var verdict = new FrameVerifier(Device.Address).Verify(Encoding.UTF8.GetBytes(frame));

        Assert.False(verdict.Accepted);
        Assert.Contains(reason, verdict.Reason, StringComparison.Ordinal);
    }

}
