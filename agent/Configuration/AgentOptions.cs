using System.ComponentModel;
using Diode.Edge.Agent.Configuration.Validation;
using Diode.Edge.Sensors;
using Diode.Edge.Watchdog;
using Microsoft.Extensions.Options;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The whole of config.json (docs/configuration.md). Every key a user can write is a property here or below.</summary>
internal sealed partial class AgentOptions
{
    [Description("Where the signed streams, /health and /metrics are served.")]
    [ValidateObjectMembers]
    public HttpOptions Http { get; set; } = new();

    [Description("The device key that signs every frame.")]
    [ValidateObjectMembers]
    public IdentityOptions Identity { get; set; } = new();

    [Description("The store-and-forward database on the SD card, which keeps frames for consumers that come back.")]
    [ValidateObjectMembers]
    public StoreOptions Store { get; set; } = new();

    [Description("The supervised Diode client, which publishes the consumer port through the Diode network.")]
    [ValidateObjectMembers]
    public DiodeOptions Diode { get; set; } = new();

    [Description("The hardware watchdog, and the health gate that decides when it is no longer petted.")]
    [ValidateObjectMembers(typeof(WatchdogOptionsValidator))]
    public WatchdogOptions Watchdog { get; set; } = new();

    [Description("The sensors to read: one signed stream per sensor.")]
    [ValidateEnumeratedItems(typeof(SensorOptionsValidator))]
    public List<SensorOptions> Sensors { get; set; } = [];

    [Description("Memory and consumer limits of the stream hub.")]
    [ValidateObjectMembers]
    public HubOptions Hub { get; set; } = new();

    [Description("What the agent logs.")]
    public LogOptions Log { get; set; } = new();

    [Description("Publish every signed frame to an MQTT broker (off by default).")]
    [ValidateObjectMembers]
    public MqttOptions Mqtt { get; set; } = new();

    /// <summary>The owners whose M-of-N signed deployments this device accepts.</summary>
    [Description("The owners whose M-of-N signed deployments this device accepts; without owners, deployments are off.")]
    [ValidateObjectMembers]
    public Fleet.FleetOptions Fleet { get; set; } = new();

    /// <summary>Per-stream access for consumers on the published port (<c>diode.consumerPort</c>), keyed by stream id; a stream without an entry is readable by every consumer the Diode client vouches for.</summary>
    [Description("Who may read each stream on the published port (diode.consumerPort), by stream id; a stream without an entry is readable by every consumer the Diode client vouches for.")]
    public Dictionary<string, StreamAccessOptions> Streams { get; set; } = new(StringComparer.Ordinal);
}
