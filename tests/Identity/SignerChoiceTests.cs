using System.Text;
using System.Text.Json;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Identity;

/// <summary>
/// The shipped (Native AOT) binary signs with the system's libsecp256k1, or with the managed port when
/// DIODE_EDGE_SECP256K1=managed says so; either way its frames verify, and its log says which one signs. A wrong value
/// is a one-line error and exit 78.
/// </summary>
[Trait("Tier", Tiers.Integration)]
public sealed class SignerChoiceTests
{
    private const string Config = """
        { "http": { "port": 0 }, "identity": { "keyPath": "device.key" }, "store": { "enabled": false },
          "sensors": [ { "type": "simulated", "name": "env", "interval": "100ms" } ] }
        """;

    [Theory]
    [InlineData(null, "libsecp256k1 (native)")]
    [InlineData("managed", "NBitcoin.Secp256k1 (managed)")]
    public async Task The_binary_signs_verifiable_frames_with_the_chosen_secp256k1(string? setting, string signer)
    {
        using var dir = new TempDirectory();
        var environment = setting is null ? null : new Dictionary<string, string> { ["DIODE_EDGE_SECP256K1"] = setting };
        await using var agent = await AgentExecutable.StartAsync("agent", dir.Path, Config, environment);
        Assert.Contains(agent.LastLines, l => l.Contains($"signing with {signer}", StringComparison.Ordinal));

        string address = JsonDocument.Parse(await agent.Http.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;
        var verifier = new FrameVerifier(address);
        JsonElement frames = default;
        for (int i = 0; i < 100 && (frames.ValueKind != JsonValueKind.Array || frames.GetArrayLength() < 3); i++)
        {
            await Task.Delay(100);
            frames = JsonDocument.Parse(await agent.Http.GetStringAsync("/streams/env/history?limit=3")).RootElement.Clone();
        }

        Assert.Equal(3, frames.GetArrayLength());
        Assert.All(frames.EnumerateArray(), f => Assert.True(verifier.Verify(Encoding.UTF8.GetBytes(f.GetRawText())).Accepted, f.GetRawText()));
        Assert.Equal(0, await agent.StopAsync());
    }

    [Fact]
    public async Task An_unknown_setting_is_a_one_line_error_and_exit_78()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "config.json"), Config);
        var (code, _, stderr) = await AgentProcess.RunAsync(dir.Path, new Dictionary<string, string> { ["DIODE_EDGE_SECP256K1"] = "fast" }, "run", "--config", "config.json");
        Assert.Equal(78, code);
        Assert.Equal("error: DIODE_EDGE_SECP256K1=fast: expected native, managed or auto", stderr.Trim());
    }
}
