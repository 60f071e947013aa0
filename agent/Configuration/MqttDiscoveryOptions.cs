namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>mqtt.discovery</c> section: Home Assistant MQTT discovery.</summary>
internal sealed class MqttDiscoveryOptions
{
    /// <summary>Publish discovery messages so every quantity appears in Home Assistant by itself.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Home Assistant's discovery prefix (its default is <c>homeassistant</c>).</summary>
    public string Prefix { get; set; } = "homeassistant";
}
