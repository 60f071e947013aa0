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
    private static readonly Dictionary<string, string[]> DeviceClassUnits = new()
    {
        ["temperature"] = ["°C", "°F", "K"],
        ["humidity"] = ["%"],
        ["pressure"] = ["Pa", "hPa", "kPa", "bar", "cbar", "mbar", "mmHg", "inHg", "psi"],
        ["atmospheric_pressure"] = ["Pa", "hPa", "kPa", "bar", "cbar", "mbar", "mmHg", "inHg", "psi"],
        ["illuminance"] = ["lx"],
        ["voltage"] = ["V", "mV", "µV", "kV", "MV"],
    };

    private static readonly string[] StateClasses = ["measurement", "measurement_angle", "total", "total_increasing"];

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
            string quantity = AssertValidSensorConfig(config.Topic, config.Payload, device, uniqueIds);
            Assert.True(state.TryGetProperty(quantity, out var value), $"the state has no {quantity} for value_json.{quantity}");
            Assert.Equal(JsonValueKind.Number, value.ValueKind);
        }

        using var c = JsonDocument.Parse(configs.Single(x => x.Topic.EndsWith("env_temperature/config", StringComparison.Ordinal)).Payload);
        Assert.Equal("°C", c.RootElement.GetProperty("unit_of_measurement").GetString());
        Assert.Equal("temperature", c.RootElement.GetProperty("device_class").GetString());
        Assert.Equal($"diode-edge/{device}/status", c.RootElement.GetProperty("availability_topic").GetString());
    }

    /// <summary>Checks one sensor discovery config; returns the quantity its value_template reads.</summary>
    private static string AssertValidSensorConfig(string topic, string payload, string device, HashSet<string> uniqueIds)
    {
        // <discovery_prefix>/<component>/[<node_id>/]<object_id>/config, ids limited to [a-zA-Z0-9_-].
        Assert.Matches("^homeassistant/sensor/[a-zA-Z0-9_-]+/[a-zA-Z0-9_-]+/config$", topic);
        using var document = JsonDocument.Parse(payload);
        var c = document.RootElement;
        Assert.Equal(JsonValueKind.Object, c.ValueKind);
        string stateTopic = c.GetProperty("state_topic").GetString()!;
        Assert.Matches($"^diode-edge/{device}/[a-z0-9_-]+/state$", stateTopic);
        Assert.True(uniqueIds.Add(c.GetProperty("unique_id").GetString()!), "unique_id repeats");
        Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("name").GetString()));
        var template = System.Text.RegularExpressions.Regex.Match(c.GetProperty("value_template").GetString()!, @"^\{\{ value_json\.([a-z0-9_]+) \}\}$");
        Assert.True(template.Success, "value_template reads one key of the state JSON");
        if (c.TryGetProperty("device_class", out var deviceClass))
        {
            Assert.True(DeviceClassUnits.TryGetValue(deviceClass.GetString()!, out var units), $"{deviceClass} is not a sensor device class");
            Assert.Contains(c.GetProperty("unit_of_measurement").GetString(), units);
        }

        Assert.Contains(c.GetProperty("state_class").GetString(), StateClasses);
        Assert.Equal($"diode-edge/{device}/status", c.GetProperty("availability_topic").GetString());
        Assert.Equal("online", c.GetProperty("payload_available").GetString());
        Assert.Equal("offline", c.GetProperty("payload_not_available").GetString());
        Assert.Equal(1, c.GetProperty("qos").GetInt32());
        var d = c.GetProperty("device");
        Assert.Equal([device], d.GetProperty("identifiers").EnumerateArray().Select(i => i.GetString()));
        foreach (string key in new[] { "name", "manufacturer", "model", "sw_version" })
        {
            Assert.False(string.IsNullOrWhiteSpace(d.GetProperty(key).GetString()), "device." + key);
        }

        Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("origin").GetProperty("name").GetString()));
        return template.Groups[1].Value;
    }
}
