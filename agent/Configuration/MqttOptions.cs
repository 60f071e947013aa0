using System.ComponentModel;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>mqtt</c> section: publish every signed frame to an MQTT broker (off by default; docs/mqtt.md).</summary>
internal sealed partial class MqttOptions
{
    /// <summary>Publish to the broker at all.</summary>
    [Description("Publish every signed frame to the broker.")]
    public bool Enabled { get; set; }

    /// <summary>The broker's host name or IP address (required when enabled).</summary>
    [Description("The broker's host name or IP address (required when enabled).")]
    public string? Host { get; set; }

    /// <summary>The broker's port; 1883, or 8883 with TLS, when left out.</summary>
    [Description("The broker's port; null: 1883, or 8883 with TLS.")]
    public int? Port { get; set; }

    /// <summary>The MQTT client id; <c>diode-edge-&lt;device address&gt;</c> when left out.</summary>
    [Description("The MQTT client id; null: diode-edge-<device address>.")]
    public string? ClientId { get; set; }

    /// <summary>First level of every topic: <c>&lt;topicPrefix&gt;/&lt;device address&gt;/&lt;stream&gt;/frame</c>.</summary>
    [Description("First level of every topic: <topicPrefix>/<device address>/<stream>/frame.")]
    public string TopicPrefix { get; set; } = "diode-edge";

    /// <summary>User name for the broker; with <see cref="PasswordFile"/>.</summary>
    [Description("User name for the broker (with passwordFile).")]
    public string? Username { get; set; }

    /// <summary>A file holding the password (one line, mode 0600 like the device key).</summary>
    [Description("A file holding the broker password (one line, mode 0600 like the device key).")]
    public string? PasswordFile { get; set; }

    [Description("TLS to the broker.")]
    public MqttTlsOptions Tls { get; set; } = new();

    [Description("Home Assistant MQTT discovery.")]
    public MqttDiscoveryOptions Discovery { get; set; } = new();

    /// <summary>MQTT keep-alive: the broker publishes the Last Will (<c>offline</c>) after 1.5 times this without a packet.</summary>
    [Description("MQTT keep-alive: the broker publishes the Last Will (offline) after 1.5 times this without a packet.")]
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait before reconnecting to a broker that went away (exponential backoff with jitter from here).</summary>
    [Description("First wait before reconnecting to a broker that went away (exponential backoff with jitter from here).")]
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between reconnection attempts.</summary>
    [Description("Longest wait between reconnection attempts.")]
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where the last frame the broker acknowledged is kept per stream, so a restarted agent resumes; next to <c>store.path</c> when left out.</summary>
    [Description("Where the last frame the broker acknowledged is kept per stream, so a restarted agent resumes; null: mqtt-cursor.json beside store.path.")]
    public string? CursorPath { get; set; }
}
