using System.Diagnostics;
using System.Text.Json;
using Diode.Edge.Agent.Clock;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Clock;

/// <summary>Frames signed before and after the clock syncs, checked by the independent JavaScript verifier (node): split from <see cref="ClockSyncTests"/>, which needs no tool.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class ClockSyncEthersTests
{
    [Fact]
    public async Task Frames_before_the_clock_syncs_say_unsynced_and_after_it_synced_and_verify_with_ethers()
    {
        var clock = new SwitchableClockSource();
        await using var agent = await RunningAgent.StartAsync("""{ "sensors": [ { "type": "simulated", "name": "env", "interval": "50ms" } ] }""", clock);
        await WaitForFramesAsync(agent, 4);
        using (var unsynced = JsonDocument.Parse(await agent.Http.GetStringAsync("/health")))
        {
            var component = unsynced.RootElement.GetProperty("components").GetProperty("clock");
            Assert.Equal("unsynced", component.GetProperty("clock").GetString());
            Assert.Equal("TIME_ERROR", component.GetProperty("kernelState").GetString());
            Assert.True(component.GetProperty("staUnsync").GetBoolean());
            Assert.True(component.GetProperty("unsyncedFrames").GetInt64() >= 4);
        }

        clock.Synchronized = true;
        long lastUnsynced = await SeqAsync(agent);
        await WaitForFramesAsync(agent, (int)lastUnsynced + 5);

        string address = JsonDocument.Parse(await agent.Http.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;
        using var history = JsonDocument.Parse(await agent.Http.GetStringAsync($"/streams/env/history?limit={lastUnsynced + 5}"));
        string frames = string.Join('\n', history.RootElement.EnumerateArray().Select(f => f.GetRawText()));
        var result = await NodeVerifier.RunAsync(frames, "frames", address);

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        var clocks = result.GetProperty("clocks").EnumerateArray().Select(c => c.GetString()).ToList();
        // Flagged, not hidden: every frame is there, the first ones unsynced, then (from the switch on) synced.
        Assert.Equal(lastUnsynced + 5, clocks.Count);
        int firstSynced = clocks.IndexOf("synced");
        Assert.True(firstSynced >= 4, string.Join(",", clocks));
        Assert.All(clocks.Take(firstSynced), c => Assert.Equal("unsynced", c));
        Assert.All(clocks.Skip(firstSynced), c => Assert.Equal("synced", c));
        Assert.True(firstSynced <= lastUnsynced + 1, $"the first synced frame is seq {firstSynced + 1}, after the switch at seq {lastUnsynced}");

        using var synced = JsonDocument.Parse(await agent.Http.GetStringAsync("/health"));
        var after = synced.RootElement.GetProperty("components").GetProperty("clock");
        Assert.Equal("synced", after.GetProperty("clock").GetString());
        Assert.Equal("healthy", after.GetProperty("status").GetString());
        Assert.Equal(12.5, after.GetProperty("maxErrorMs").GetDouble());
        Assert.True(after.TryGetProperty("syncedAt", out _));
        string metrics = await agent.Http.GetStringAsync("/metrics");
        Assert.Contains("diode_edge_clock_synchronized 1", metrics, StringComparison.Ordinal);
    }

    /// <summary>The latest frame's seq.</summary>
    private static async Task<long> SeqAsync(RunningAgent agent)
    {
        using var frame = JsonDocument.Parse(await agent.Http.GetStringAsync("/streams/env/latest"));
        return JsonDocument.Parse(frame.RootElement.GetProperty("payload").GetString()!).RootElement.GetProperty("seq").GetInt64();
    }

    private static async Task WaitForFramesAsync(RunningAgent agent, int count)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var response = await agent.Http.GetAsync("/streams/env/latest");
            if (response.IsSuccessStatusCode && await SeqAsync(agent) >= count)
            {
                return;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"fewer than {count} frames in 20 s");
            await Task.Delay(50);
        }
    }
}
