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
            HomeAssistantDiscoveryAssert.ValidSensorConfig(message.Topic, System.Text.Encoding.UTF8.GetString(message.Payload), topics.Device, uniqueIds);
        }

        var binary = Assert.Single(messages, m => m.Topic.StartsWith("homeassistant/binary_sensor/", StringComparison.Ordinal));
        using var b = JsonDocument.Parse(binary.Payload);
        Assert.Equal("gpio_input", b.RootElement.GetProperty("state_topic").GetString()!.Split('/')[2]);
        Assert.Equal("ON", b.RootElement.GetProperty("payload_on").GetString());
        Assert.Equal("OFF", b.RootElement.GetProperty("payload_off").GetString());
        Assert.False(b.RootElement.TryGetProperty("unit_of_measurement", out _));
        Assert.True(uniqueIds.Add(b.RootElement.GetProperty("unique_id").GetString()!));
    }
}
