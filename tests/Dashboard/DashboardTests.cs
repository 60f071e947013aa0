using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Diode.Edge.Agent.Relay;
using Diode.Edge.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Diode.Edge.Agent.Hosting;

namespace Diode.Edge.Tests.Dashboard;

/// <summary>
/// The dashboard (GET /) in Debian's headless Chromium against a running agent with simulated sensors: charts fill
/// with frames verified in the browser, the health panel shows every component, a forged frame turns the badge
/// unverified, a drop is survived without a gap, and a relay serves the same page. Screenshots: artifacts/dashboard/.
/// </summary>
[Trait("Tier", Tiers.Integration)]
public sealed class DashboardTests
{
    private const string Config = """
        {
          "watchdog": { "enabled": true, "device": "simulated", "timeout": "15s", "petInterval": "5s" },
          "sensors": [
            { "type": "simulated", "name": "env", "interval": "200ms", "seed": 1 },
            { "type": "simulated", "name": "greenhouse", "interval": "500ms", "seed": 2 }
          ]
        }
        """;

    [Fact]
    public async Task The_dashboard_charts_verified_frames_shows_health_and_fits_a_phone()
    {
        await using var agent = await RunningAgent.StartAsync(Config);
        var (result, screenshots) = await HeadlessDashboard.RunAsync(agent.Address, "agent", "--min-points", "10", "--phone");

        var loaded = result.GetProperty("loaded");
        Assert.Equal("verified", loaded.GetProperty("badge").GetProperty("state").GetString());
        Assert.Equal(0, loaded.GetProperty("badge").GetProperty("rejected").GetInt32());
        var streams = loaded.GetProperty("streams").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.Equal(["env", "greenhouse"], streams.Keys.Order());
        foreach (var stream in streams.Values)
        {
            Assert.True(stream.GetProperty("points").GetInt32() >= 10, stream.ToString());
            Assert.Equal(0, stream.GetProperty("gaps").GetInt32());
            var temperature = stream.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "temperature");
            Assert.Equal("Cel", temperature.GetProperty("unit").GetString());
            Assert.All(temperature.GetProperty("values").EnumerateArray(), v => Assert.InRange(v.GetDouble(), -10, 50));
        }

        // The values shown are the latest frame's, with units; the page and the agent agree on it.
        var shown = loaded.GetProperty("shownValues").EnumerateArray().Single(c => c.GetProperty("stream").GetString() == "env");
        Assert.All(shown.GetProperty("values").EnumerateArray(), v => Assert.Matches(@"^-?\d+\.\d+$", v.GetString()));

        var health = loaded.GetProperty("health");
        foreach (string component in new[] { "host", "watchdog", "diode", "streams", "store", "sensor:env", "sensor:greenhouse" })
        {
            Assert.True(health.TryGetProperty(component, out var row), $"{component} missing from the health panel: {health}");
            Assert.Equal("healthy", row.GetProperty("status").GetString());
        }

        Assert.Contains("breaker closed", health.GetProperty("sensor:env").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("consumers", health.GetProperty("streams").GetProperty("text").GetString(), StringComparison.Ordinal);

        // No console errors: nothing blocked by the Content-Security-Policy, nothing fetched from elsewhere.
        Assert.Empty(result.GetProperty("consoleErrors").EnumerateArray());

        var phone = result.GetProperty("phone");
        Assert.Equal(390, phone.GetProperty("innerWidth").GetInt32());
        Assert.True(phone.GetProperty("scrollWidth").GetInt32() <= 390, $"the page scrolls sideways on a phone: {phone}");
        Assert.True(phone.GetProperty("widestCard").GetDouble() <= 390, $"a card is wider than a phone: {phone}");
        Assert.True(new FileInfo(Path.Combine(screenshots, "dashboard.png")).Length > 10_000);
        Assert.True(new FileInfo(Path.Combine(screenshots, "dashboard-phone.png")).Length > 10_000);
    }

    [Fact]
    public async Task A_frame_forged_by_a_relay_turns_the_badge_unverified_and_is_never_charted()
    {
        await using var agent = await RunningAgent.StartAsync(Config);
        await using var relay = await TamperingRelay.StartAsync(agent.Address);
        relay.ForgeStream = "env";
        relay.ForgeAtFrame = 40;
        relay.ForgedValue = 99.99;

        var (result, screenshots) = await HeadlessDashboard.RunAsync(relay.Address, "forged", "--min-points", "5", "--wait-unverified");

        Assert.Equal(1, relay.Forged);
        var forged = result.GetProperty("forged");
        var badge = forged.GetProperty("badge");
        Assert.Equal("unverified", badge.GetProperty("state").GetString());
        Assert.Equal(1, badge.GetProperty("rejected").GetInt32());
        Assert.Contains("1 forged frame rejected", forged.GetProperty("badgeText").GetString(), StringComparison.Ordinal);
        Assert.Contains("not signed by this device", forged.GetProperty("alert").GetString(), StringComparison.Ordinal);

        var env = forged.GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "env");
        Assert.Equal(1, env.GetProperty("rejected").GetInt32());
        // The forged value is nowhere in the chart, and the frames after it were verified and charted.
        foreach (var series in env.GetProperty("series").EnumerateArray())
        {
            Assert.DoesNotContain(series.GetProperty("values").EnumerateArray(), v => v.GetDouble() == 99.99);
        }

        long verifiedAtLoad = result.GetProperty("loaded").GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "env").GetProperty("verified").GetInt64();
        Assert.True(env.GetProperty("verified").GetInt64() > verifiedAtLoad);
        Assert.True(new FileInfo(Path.Combine(screenshots, "dashboard-forged.png")).Length > 10_000);
    }

    [Fact]
    public async Task After_a_drop_and_refused_reconnections_the_dashboard_resumes_by_itself_without_a_gap()
    {
        await using var agent = await RunningAgent.StartAsync(Config);
        await using var relay = await TamperingRelay.StartAsync(agent.Address);
        relay.DropAfterFrames = 30;
        relay.RefuseFor = TimeSpan.FromSeconds(5);

        var (result, _) = await HeadlessDashboard.RunAsync(relay.Address, "reconnect", "--min-points", "3", "--advance", "20");

        Assert.Equal(1, relay.Drops);
        // The page saw the streams go down and come back by itself.
        var states = result.GetProperty("connectionStates").EnumerateArray().Select(s => s.GetString()).ToList();
        int down = states.FindLastIndex(s => s != "live");
        Assert.True(down > states.IndexOf("live"), $"no drop seen after going live: {string.Join(",", states)}");
        Assert.Equal("live", states[^1]);
        var advanced = result.GetProperty("advanced");
        Assert.Equal("verified", advanced.GetProperty("badge").GetProperty("state").GetString());
        foreach (var stream in advanced.GetProperty("streams").EnumerateArray())
        {
            // Resumed after the last frame shown (?lastEventId=): nothing missed, nothing shown twice.
            Assert.Equal(0, stream.GetProperty("gaps").GetInt32());
            Assert.True(stream.GetProperty("connected").GetBoolean());
        }
    }

    [Fact]
    public async Task When_the_agent_is_killed_and_restarted_the_page_follows_the_new_run_by_itself()
    {
        using var dir = new TempDirectory();
        dir.File("config.json", Config);
        string[] args = ["run", "--config", "config.json", "--set", $"http.port={LoopbackPort.Free()}", "--set", "identity.keyPath=device.key", "--set", "store.path=store.db", "--set", "store.flushInterval=1s"];
        Process? first = null, second = null;
        try
        {
            first = StartAgent(dir.Path, args);
            var address = await AgentProcess.ReadAddressAsync(first);
            Drain(first);
            var page = HeadlessDashboard.RunAsync(address, "restart", "--min-points", "3", "--advance", "15");

            using var http = new HttpClient { BaseAddress = address };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (ConsumersOf(await http.GetStringAsync("/streams")) < 2)
            {
                Assert.True(DateTime.UtcNow < deadline, "the page never subscribed to both streams");
                await Task.Delay(100);
            }

            // Subscribed on the agent's side is not yet live on the page's: kill only once the page has charted frames.
            await HeadlessDashboard.WaitUntilLoadedAsync("restart", page);
            first.Kill(); // SIGKILL: a crash; systemd would restart it
            await first.WaitForExitAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
            second = StartAgent(dir.Path, args);
            Assert.Equal(address, await AgentProcess.ReadAddressAsync(second));
            Drain(second);

            var (result, _) = await page;
            var states = result.GetProperty("connectionStates").EnumerateArray().Select(s => s.GetString()).ToList();
            Assert.True(states.FindLastIndex(s => s != "live") > states.IndexOf("live"), $"the page never saw the agent go: {string.Join(",", states)}");
            var before = result.GetProperty("loaded").GetProperty("streams").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("last").GetProperty("epoch").GetInt64());
            var advanced = result.GetProperty("advanced");
            Assert.Equal("verified", advanced.GetProperty("badge").GetProperty("state").GetString());
            foreach (var stream in advanced.GetProperty("streams").EnumerateArray())
            {
                long epoch = stream.GetProperty("last").GetProperty("epoch").GetInt64();
                Assert.True(epoch > before[stream.GetProperty("id").GetString()!], $"{stream.GetProperty("id")}: still the first run's frames");
                Assert.True(stream.GetProperty("connected").GetBoolean());
            }

            Assert.Equal("healthy", advanced.GetProperty("healthStatus").GetString());
        }
        finally
        {
            foreach (var process in new[] { first, second })
            {
                if (process is { HasExited: false })
                {
                    process.Kill();
                }

                process?.Dispose();
            }
        }
    }

    private static Process StartAgent(string directory, string[] args) => Process.Start(AgentProcess.StartInfo(directory, null, args))!;

    /// <summary>Reads the agent's output from here on, so a full pipe never blocks its logging.</summary>
    private static void Drain(Process process)
    {
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
    }

    private static int ConsumersOf(string streams) => JsonDocument.Parse(streams).RootElement.EnumerateArray().Sum(s => s.GetProperty("consumers").GetInt32());

    [Fact]
    public async Task A_relay_serves_the_same_dashboard_and_its_frames_verify_against_the_device()
    {
        await using var agent = await RunningAgent.StartAsync(Config);
        using var identity = JsonDocument.Parse(await agent.Http.GetStringAsync("/identity"));
        string device = identity.RootElement.GetProperty("address").GetString()!;
        var relay = RelayHost.Build(new RelayOptions(agent.Address, device, new IPEndPoint(IPAddress.Loopback, 0)), Microsoft.Extensions.Logging.LogLevel.Warning);
        await relay.StartAsync();
        try
        {
            var (result, _) = await HeadlessDashboard.RunAsync(relay.BoundAddress(), "relay", "--min-points", "5");
            var loaded = result.GetProperty("loaded");
            Assert.Equal("verified", loaded.GetProperty("badge").GetProperty("state").GetString());
            Assert.Equal(2, loaded.GetProperty("streams").GetArrayLength());
            Assert.True(loaded.GetProperty("health").TryGetProperty("relay", out _), "the relay's own health is shown");
            Assert.Empty(result.GetProperty("consoleErrors").EnumerateArray());
        }
        finally
        {
            await relay.StopAsync();
            await relay.DisposeAsync();
        }
    }
}
