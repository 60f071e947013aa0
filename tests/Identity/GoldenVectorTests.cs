using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Tests.Support;
using Nethereum.Signer;

namespace Diode.Edge.Tests.Identity;

/// <summary>
/// The stream contract cannot drift: an independent ethers verifier accepts the vectors and the frames and identity a
/// live agent serves (that the vectors verify in C# and C# signs them to the same bytes: <see cref="GoldenVectorCSharpTests"/>).
/// </summary>
[Trait("Tier", Tiers.Integration)]
public sealed class GoldenVectorTests
{
    [Fact]
    public async Task The_JavaScript_verifier_accepts_the_golden_vectors()
    {
        var result = await NodeVerifier.RunAsync(string.Empty, "vectors", GoldenVectorFile.FilePath);

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal(6, result.GetProperty("checked").GetInt32());
    }

    [Fact]
    public async Task Frames_and_identity_served_by_a_live_agent_verify_with_ethers()
    {
        await using var agent = await RunningAgent.StartAsync("""{ "diode": { "fleet": "0x6000000000000000000000000000000000000006" }, "sensors": [ { "type": "simulated", "name": "env", "interval": "50ms" } ] }""");
        await WaitForFramesAsync(agent, 8);
        string identityJson = await agent.Http.GetStringAsync("/identity");
        using var identity = JsonDocument.Parse(identityJson);
        string address = identity.RootElement.GetProperty("address").GetString()!;
        using var history = JsonDocument.Parse(await agent.Http.GetStringAsync("/streams/env/history?limit=8"));
        string frames = string.Join('\n', history.RootElement.EnumerateArray().Select(f => f.GetRawText()));

        var framesResult = await NodeVerifier.RunAsync(frames, "frames", address);
        var identityResult = await NodeVerifier.RunAsync(identityJson, "identity");

        Assert.True(framesResult.GetProperty("ok").GetBoolean(), framesResult.ToString());
        Assert.True(framesResult.GetProperty("checked").GetInt32() == 8, framesResult.ToString());
        Assert.True(identityResult.GetProperty("ok").GetBoolean(), identityResult.ToString());
        Assert.Equal("0x6000000000000000000000000000000000000006", identity.RootElement.GetProperty("fleet").GetString());
    }

    [Fact]
    public async Task A_frame_altered_on_the_way_fails_the_JavaScript_verifier_too()
    {
        await using var agent = await RunningAgent.StartAsync("""{ "sensors": [ { "type": "simulated", "name": "env", "interval": "50ms" } ] }""");
        await WaitForFramesAsync(agent, 1);
        string address = JsonDocument.Parse(await agent.Http.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;
        string frame = await agent.Http.GetStringAsync("/streams/env/latest");
        int at = frame.IndexOf("temperature\\\":", StringComparison.Ordinal) + "temperature\\\":".Length;
        string altered = frame[..at] + "1" + frame[at..];
        Assert.NotEqual(frame, altered);

        var result = await NodeVerifier.RunAsync(altered, "frames", address);

        Assert.False(result.GetProperty("ok").GetBoolean());
    }

    private static async Task WaitForFramesAsync(RunningAgent agent, int frames)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (JsonDocument.Parse(await agent.Http.GetStringAsync("/streams")).RootElement[0].GetProperty("lastSeq").GetInt64() < frames)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {frames} frames after 20 s");
            await Task.Delay(50);
        }
    }
}
