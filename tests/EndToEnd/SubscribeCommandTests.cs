using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.EndToEnd;

/// <summary>The real executable's <c>subscribe</c> command against an in-process agent, and against none.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class SubscribeCommandTests
{
    private const string TwoSensors = """
        {
          "sensors": [
            { "type": "simulated", "name": "env", "interval": "200ms" },
            { "type": "simulated", "name": "slow", "interval": "1h" }
          ]
        }
        """;

    [Fact]
    public async Task The_subscribe_command_prints_one_frame_per_line()
    {
        await using var agent = await RunningAgent.StartAsync(TwoSensors);
        using var dir = new TempDirectory();

        var (code, stdout, stderr) = await AgentProcess.RunAsync(dir.Path, null, "subscribe", new Uri(agent.Address, "/streams/env/events").ToString(), "--count", "3");

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var seqs = lines.Select(l => JsonDocument.Parse(JsonDocument.Parse(l).RootElement.GetProperty("payload").GetString()!).RootElement.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal([seqs[0], seqs[0] + 1, seqs[0] + 2], seqs);
    }

    [Fact]
    public async Task Subscribe_to_an_agent_that_is_not_there_says_so()
    {
        using var dir = new TempDirectory();

        var (code, _, stderr) = await AgentProcess.RunAsync(dir.Path, null, "subscribe", "http://127.0.0.1:9/streams/env/events");

        Assert.Equal(69, code);
        Assert.Contains("is diode-edge running there?", stderr, StringComparison.Ordinal);
    }
}
