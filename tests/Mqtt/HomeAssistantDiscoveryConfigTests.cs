using System.Text.Json;
using Diode.Edge.Agent.Mqtt;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Mqtt;

/// <summary>Every sensor type maps to a valid Home Assistant sensor or binary_sensor discovery config (no broker).</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class HomeAssistantDiscoveryConfigTests
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
    public void Every_sensor_type_maps_to_a_valid_sensor_or_binary_sensor_config()
    {
        var topics = new MqttTopics("diode-edge", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        var streams = SensorFactory.KnownTypes.Select(type => new StreamDescriptor(
            type.Replace("-", "_", StringComparison.Ordinal),
            type,
            SensorFactory.QuantitiesOf(new SensorOptions { Type = type, Name = "x" }),
            TimeSpan.FromSeconds(1))).ToList();

        var messages = HomeAssistantDiscovery.Build("homeassistant", topics, streams, "1.2.3").ToList();

        var uniqueIds = new HashSet<string>();
        Assert.Equal(streams.Sum(s => s.Quantities.Count), messages.Count);
        foreach (var message in messages.Where(m => m.Topic.StartsWith("homeassistant/sensor/", StringComparison.Ordinal)))
        {
            AssertValidSensorConfig(message.Topic, System.Text.Encoding.UTF8.GetString(message.Payload), topics.Device, uniqueIds);
        }

        var binary = Assert.Single(messages, m => m.Topic.StartsWith("homeassistant/binary_sensor/", StringComparison.Ordinal));
        using var b = JsonDocument.Parse(binary.Payload);
        Assert.Equal("gpio_input", b.RootElement.GetProperty("state_topic").GetString()!.Split('/')[2]);
        Assert.Equal("ON", b.RootElement.GetProperty("payload_on").GetString());
        Assert.Equal("OFF", b.RootElement.GetProperty("payload_off").GetString());
        Assert.False(b.RootElement.TryGetProperty("unit_of_measurement", out _));
        Assert.True(uniqueIds.Add(b.RootElement.GetProperty("unique_id").GetString()!));
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
