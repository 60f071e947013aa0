namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>mqtt</c> section: publish every signed frame to an MQTT broker (off by default; docs/mqtt.md).</summary>
internal sealed class MqttOptions
{
    /// <summary>Publish to the broker at all.</summary>
    public bool Enabled { get; set; }

    /// <summary>The broker's host name or IP address (required when enabled).</summary>
    public string? Host { get; set; }

    /// <summary>The broker's port; 1883, or 8883 with TLS, when left out.</summary>
    public int? Port { get; set; }

    /// <summary>The MQTT client id; <c>diode-edge-&lt;device address&gt;</c> when left out.</summary>
    public string? ClientId { get; set; }

    /// <summary>First level of every topic: <c>&lt;topicPrefix&gt;/&lt;device address&gt;/&lt;stream&gt;/frame</c>.</summary>
    public string TopicPrefix { get; set; } = "diode-edge";

    /// <summary>User name for the broker; with <see cref="PasswordFile"/>.</summary>
    public string? Username { get; set; }

    /// <summary>A file holding the password (one line, mode 0600 like the device key).</summary>
    public string? PasswordFile { get; set; }

    public MqttTlsOptions Tls { get; set; } = new();

    public MqttDiscoveryOptions Discovery { get; set; } = new();

    /// <summary>MQTT keep-alive: the broker publishes the Last Will (<c>offline</c>) after 1.5 times this without a packet.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait before reconnecting to a broker that went away (exponential backoff with jitter from here).</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between reconnection attempts.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where the last frame the broker acknowledged is kept per stream, so a restarted agent resumes; next to <c>store.path</c> when left out.</summary>
    public string? CursorPath { get; set; }
}
