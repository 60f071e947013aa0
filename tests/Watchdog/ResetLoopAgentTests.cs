using System.Text.Json;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Tests.Support;
using Diode.Edge.Watchdog;
using Microsoft.AspNetCore.Builder;

namespace Diode.Edge.Tests.Watchdog;

/// <summary>
/// The whole agent host with the simulated watchdog reporting a watchdog reset (WDIOC_GETBOOTSTATUS) and a boot history
/// planted in its state directory: a critical sensor that never reads, after three resets by it, no longer resets the
/// board, and /health, /metrics and the STATUS= summary say so; after two, it resets the board as before.
/// </summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Unit)]
public sealed class ResetLoopAgentTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task After_three_resets_by_a_dead_critical_sensor_the_agent_keeps_petting_and_reports_the_suspension()
    {
        PlantResets(3);
        var (app, device) = await StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = app.BoundAddress() };
            // The sensor's first-beat allowance (1 s) and the grace (0.5 s) and two timeouts (1 s each) have passed.
            await Task.Delay(4000);

            Assert.False(device().Expired, "the board was reset although sensor:env's reset loop is suspended");
            // 503 still: the critical sensor is broken, and /health says so; only the watchdog stops acting on it.
            using var response = await http.GetAsync("/health");
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
            using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var watchdog = health.RootElement.GetProperty("components").GetProperty("watchdog");
            Assert.Equal("suspended (sensor:env failed on the last 3 boots)", watchdog.GetProperty("resetLoop").GetString());
            Assert.Equal("degraded", watchdog.GetProperty("status").GetString());
            Assert.Equal("unhealthy", health.RootElement.GetProperty("components").GetProperty("sensor:env").GetProperty("status").GetString());
            string metrics = await http.GetStringAsync("/metrics");
            Assert.Equal(1, PrometheusText.Value(metrics, "diode_edge_watchdog_reset_loop_suspended"));
            Assert.Equal(1, PrometheusText.Value(metrics, "diode_edge_watchdog_reset_loop_check{check=\"sensor:env\",boots=\"3\"}"));
            var service = (WatchdogService)app.Services.GetService(typeof(WatchdogService))!;
            Assert.EndsWith("watchdog: simulated watchdog 2s, resetLoop: suspended (sensor:env failed on the last 3 boots)", service.Status.Summary, StringComparison.Ordinal);
            int pets = device().Pets.Count;
            await Task.Delay(600);
            Assert.True(device().Pets.Count > pets, "petting stopped");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task After_two_resets_the_dead_critical_sensor_resets_the_board_as_before()
    {
        PlantResets(2);
        var (app, device) = await StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = app.BoundAddress() };
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (!device().Expired)
            {
                Assert.True(DateTime.UtcNow < deadline, "the watchdog should have expired");
                await Task.Delay(50);
            }

            Assert.Equal(0, PrometheusText.Value(await http.GetStringAsync("/metrics"), "diode_edge_watchdog_reset_loop_suspended"));
            var records = new BootHistoryFile(Path.Combine(_dir.Path, BootHistoryLocation.FileName)).Load(out _);
            Assert.Equal(("sensor:env", true), (records[^1].GateClosedBy, records[^1].ResetByWatchdog));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private void PlantResets(int boots)
    {
        var now = DateTimeOffset.UtcNow;
        new BootHistoryFile(Path.Combine(_dir.Path, BootHistoryLocation.FileName))
            .Save([.. Enumerable.Range(0, boots).Select(i => new BootRecord($"earlier-{i}", now.AddMinutes(-3 * (boots - i)), i > 0, "sensor:env", false))]);
    }

    private async Task<(WebApplication App, Func<SimulatedWatchdogDevice> Device)> StartAsync()
    {
        string config = _dir.File("config.json", """
            { "http": { "port": 0 },
              "store": { "enabled": false },
              "sensors": [ { "type": "simulated", "name": "env", "interval": "100ms", "critical": true, "failEvery": 1 } ],
              "watchdog": { "enabled": true, "device": "simulated", "timeout": "2s", "petInterval": "200ms", "grace": "500ms", "startupGrace": "1s" } }
            """);
        string name = "agent-loop-" + Guid.NewGuid();
        SimulatedWatchdogDevice? device = null;
        var loaded = ConfigLoader.Load(config, [$"identity.keyPath={Path.Combine(_dir.Path, "device.key")}"]);
        var app = AgentHost.Build(loaded, openWatchdog: _ => device = SimulatedWatchdogDevice.Open(TimeProvider.System, name, lastRebootByWatchdog: true));
        await app.StartAsync();
        return (app, () => device!);
    }
}
