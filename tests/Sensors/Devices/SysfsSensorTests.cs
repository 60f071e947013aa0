using System.Diagnostics;
using System.Text.Json;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;
using Diode.Edge.Tests.Support.Hardware;

namespace Diode.Edge.Tests.Sensors.Devices;

/// <summary>
/// DS18B20 and the SoC temperature through their real bindings, which read fixed sysfs paths: the real agent runs in
/// its own mount namespace with a sysfs laid out and worded like the kernel's w1_therm and thermal drivers.
/// </summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Integration)]
public sealed class SysfsSensorTests
{
    private const string Tank = "28-0316a2799bff";
    private const string Air = "28-0416b1234567";

    [Fact]
    public async Task Ds18b20_probes_and_the_soc_temperature_are_published_signed_and_a_kernel_crc_error_fails_only_that_read()
    {
        Assert.True(SysfsNamespace.Available, "this test needs root and util-linux unshare to mount a fake sysfs in a private mount namespace (CI runs as root)");
        using var sysfs = new FakeSysfs();
        sysfs.AddOneWireBus(new Dictionary<string, double> { [Tank] = 23.125, [Air] = -4.5 });
        sysfs.SetSocTemperature(48.312);
        using var dir = new TempDirectory();
        string config = dir.File("config.json", $$"""
            {
              "http": { "port": 0 },
              "identity": { "keyPath": "{{dir.Path}}/device.key" },
              "store": { "enabled": false },
              "diode": { "enabled": false },
              "watchdog": { "enabled": false },
              "sensors": [
                { "type": "ds18b20", "name": "water", "interval": "300ms", "breakDuration": "1s", "probes": { "temperature_tank": "{{Tank}}", "temperature_air": "{{Air}}" } },
                { "type": "ds18b20", "name": "all", "interval": "300ms" },
                { "type": "cpu-temperature", "name": "soc", "interval": "300ms", "offsets": { "temperature": -0.312 } }
              ]
            }
            """);
        using var agent = Process.Start(SysfsNamespace.Wrap(AgentProcess.StartInfo(dir.Path, null, "run", "--config", config), sysfs))!;
        try
        {
            var address = await AgentProcess.ReadAddressAsync(agent);
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            using var identity = JsonDocument.Parse(await http.GetStringAsync("/identity"));
            var verifier = new FrameVerifier(identity.RootElement.GetProperty("address").GetString()!);

            var water = await LatestValuesAsync(http, verifier, "water");
            Assert.Equal(23.125, water["temperature_tank"]);
            Assert.Equal(-4.5, water["temperature_air"]);
            var all = await LatestValuesAsync(http, verifier, "all");
            Assert.Equal([$"temperature_{Tank.Replace('-', '_')}", $"temperature_{Air.Replace('-', '_')}"], all.Keys.Order(StringComparer.Ordinal));
            var soc = await LatestValuesAsync(http, new FrameVerifier(verifier.ExpectedDevice), "soc");
            Assert.Equal(48.0, soc["temperature"], 6);

            // The kernel reports a corrupt scratchpad ("crc=.. NO"): that read fails, the other streams carry on,
            // and the next good read publishes the new value.
            sysfs.SetThermometer(Tank, 30.0, crcOk: false);
            await WaitForHealthAsync(http, "sensor:water", h => h.GetProperty("status").GetString() == "degraded" && h.GetProperty("reason").GetString()!.Contains("CRC", StringComparison.Ordinal));
            using (var health = JsonDocument.Parse(await http.GetStringAsync("/health")))
            {
                Assert.Equal("ok", health.RootElement.GetProperty("components").GetProperty("sensor:soc").GetProperty("state").GetString());
            }

            sysfs.SetThermometer(Tank, 30.0);
            await WaitForHealthAsync(http, "sensor:water", h => h.GetProperty("state").GetString() == "ok");
            Assert.Equal(30.0, (await LatestValuesAsync(http, new FrameVerifier(verifier.ExpectedDevice), "water"))["temperature_tank"]);
        }
        finally
        {
            agent.Kill(entireProcessTree: true);
            await agent.WaitForExitAsync();
        }
    }

    private static async Task<Dictionary<string, double>> LatestValuesAsync(HttpClient http, FrameVerifier verifier, string stream)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await http.GetAsync($"/streams/{stream}/latest");
            if (response.IsSuccessStatusCode)
            {
                byte[] frame = await response.Content.ReadAsByteArrayAsync();
                var verdict = verifier.Verify(frame);
                Assert.True(verdict.Accepted, verdict.Reason);
                using var outer = JsonDocument.Parse(frame);
                using var payload = JsonDocument.Parse(outer.RootElement.GetProperty("payload").GetString()!);
                return payload.RootElement.GetProperty("values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
            }

            Assert.True(DateTime.UtcNow < deadline, $"no frame on {stream} within 20 s");
            await Task.Delay(100);
        }
    }

    private static async Task WaitForHealthAsync(HttpClient http, string component, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var health = JsonDocument.Parse(await http.GetStringAsync("/health"));
            if (health.RootElement.GetProperty("components").TryGetProperty(component, out var entry) && condition(entry))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{component} did not reach the expected state within 20 s: {health.RootElement.GetProperty("components").GetProperty(component)}");
            await Task.Delay(100);
        }
    }
}
