using System.Text.Json;
using Diode.Edge.Agent.Mqtt;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Mqtt;

/// <summary>
/// Home Assistant MQTT discovery messages from a live agent through mosquitto (the per-type configs without a broker:
/// <see cref="HomeAssistantDiscoveryConfigTests"/>), checked against Home Assistant's documented schema
/// (home-assistant.io/integrations/mqtt "discovery", integrations/sensor.mqtt, binary_sensor.mqtt, and the sensor
/// device classes with their units from developers.home-assistant.io/docs/core/entity/sensor).
/// </summary>
[Trait("Tier", Tiers.Integration)]
public sealed class HomeAssistantDiscoveryTests
{
    /// <summary>The device classes we may emit, each with the units Home Assistant accepts for it.</summary>
    [Fact]
    public async Task A_live_agent_announces_each_quantity_with_a_valid_discovery_config_whose_template_reads_the_state()
    {
        await using var broker = await Mosquitto.StartAsync();
        await using var probe = await MqttProbe.ConnectAsync(broker.Port, "homeassistant/#", "diode-edge/#");
        await using var agent = await RunningAgent.StartAsync(MqttAgent.Config(broker.Port));
        string device = (await MqttAgent.AddressAsync(agent)).ToLowerInvariant();

        var received = await probe.WaitForAsync(
            m => m.Count(x => x.Topic.StartsWith("homeassistant/", StringComparison.Ordinal)) >= 3 && m.Any(x => x.Topic.EndsWith("/env/state", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20),
            "three discovery configs and a state");

        var configs = received.Where(m => m.Topic.StartsWith("homeassistant/", StringComparison.Ordinal)).ToList();
        // Retained: Home Assistant started later (or a new subscriber) still gets them.
        await using (var late = await MqttProbe.ConnectAsync(broker.Port, "homeassistant/#"))
        {
            var retained = await late.WaitForAsync(m => m.Count >= configs.Count, TimeSpan.FromSeconds(10), "retained discovery configs");
            Assert.All(retained, r => Assert.True(r.Retain, r.Topic + " is not retained"));
            Assert.Equal(configs.Select(c => c.Topic).Order(StringComparer.Ordinal), retained.Select(r => r.Topic).Order(StringComparer.Ordinal));
        }

        Assert.Equal(
            ["pressure", "relative_humidity", "temperature"],
            configs.Select(c => c.Topic).Order(StringComparer.Ordinal).Select(t => t.Split('/')[3].Replace("env_", string.Empty, StringComparison.Ordinal)));
        var state = JsonDocument.Parse(received.Last(m => m.Topic == $"diode-edge/{device}/env/state").Payload).RootElement;
        var uniqueIds = new HashSet<string>();
        foreach (var config in configs)
        {
            string quantity = HomeAssistantDiscoveryAssert.ValidSensorConfig(config.Topic, config.Payload, device, uniqueIds);
            Assert.True(state.TryGetProperty(quantity, out var value), $"the state has no {quantity} for value_json.{quantity}");
            Assert.Equal(JsonValueKind.Number, value.ValueKind);
        }

        using var c = JsonDocument.Parse(configs.Single(x => x.Topic.EndsWith("env_temperature/config", StringComparison.Ordinal)).Payload);
        Assert.Equal("°C", c.RootElement.GetProperty("unit_of_measurement").GetString());
        Assert.Equal("temperature", c.RootElement.GetProperty("device_class").GetString());
        Assert.Equal($"diode-edge/{device}/status", c.RootElement.GetProperty("availability_topic").GetString());
    }
}
