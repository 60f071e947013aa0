using System.ComponentModel;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>mqtt.discovery</c> section: Home Assistant MQTT discovery.</summary>
internal sealed class MqttDiscoveryOptions
{
    /// <summary>Publish discovery messages so every quantity appears in Home Assistant by itself.</summary>
    [Description("Publish Home Assistant discovery messages, so every quantity appears in Home Assistant by itself.")]
    public bool Enabled { get; set; } = true;

    /// <summary>Home Assistant's discovery prefix (its default is <c>homeassistant</c>).</summary>
    [Description("Home Assistant's discovery prefix.")]
    public string Prefix { get; set; } = "homeassistant";
}
