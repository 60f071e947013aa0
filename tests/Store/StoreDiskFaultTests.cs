using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Store;

/// <summary>A full or read-only disk (a real, small tmpfs mount) degrades the store, never the live streams.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class StoreDiskFaultTests
{
    [Fact]
    public async Task A_full_disk_degrades_the_store_and_live_streams_go_on()
    {
        using var mount = TmpfsMount.Create("400k");
        await using var agent = await RunningAgent.StartAsync($$"""
            { "store": { "path": "{{mount.Path}}/store.db", "flushInterval": "50ms" },
              "sensors": [ { "type": "simulated", "name": "env", "interval": "10ms" },
                           { "type": "simulated", "name": "b", "interval": "10ms" } ] }
            """);

        var store = await WaitForStoreAsync(agent, s => s.GetProperty("status").GetString() == "degraded");

        Assert.Contains("disk full", store.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertLiveStreamsGoOnAsync(agent);
    }

    [Fact]
    public async Task A_read_only_store_degrades_the_store_and_live_streams_go_on_and_it_recovers_when_writable()
    {
        using var mount = TmpfsMount.Create("8m");
        string config = $$"""
            { "store": { "path": "{{mount.Path}}/store.db", "flushInterval": "50ms" }, "sensors": [ { "type": "simulated", "name": "env", "interval": "20ms" } ] }
            """;
        await using (var first = await RunningAgent.StartAsync(config))
        {
            await WaitForStoreAsync(first, s => s.GetProperty("framesWritten").GetInt64() > 0);
        }

        mount.Remount("ro");
        await using var agent = await RunningAgent.StartAsync(config);
        var store = await WaitForStoreAsync(agent, s => s.GetProperty("status").GetString() == "degraded");
        Assert.Contains("read-only", store.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertLiveStreamsGoOnAsync(agent);

        mount.Remount("rw");
        await WaitForStoreAsync(agent, s => s.GetProperty("status").GetString() == "healthy");
    }

    private static async Task AssertLiveStreamsGoOnAsync(RunningAgent agent)
    {
        var frames = await StoreResumeTests.ReadAsync(agent, null, 10);
        Assert.Equal(10, frames.Count);
        using var health = await agent.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static async Task<JsonElement> WaitForStoreAsync(RunningAgent agent, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var doc = JsonDocument.Parse(await agent.Http.GetStringAsync("/health"));
            var store = doc.RootElement.GetProperty("components").GetProperty("store").Clone();
            if (condition(store))
            {
                return store;
            }

            Assert.True(DateTime.UtcNow < deadline, "store did not reach the expected state: " + store);
            await Task.Delay(50);
        }
    }
}
