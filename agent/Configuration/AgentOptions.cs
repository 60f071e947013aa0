using Diode.Edge.Sensors;
using Diode.Edge.Watchdog;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The whole of config.json (docs/configuration.md). Every key a user can write is a property here or below.</summary>
internal sealed class AgentOptions
{
    public HttpOptions Http { get; set; } = new();

    public IdentityOptions Identity { get; set; } = new();

    public StoreOptions Store { get; set; } = new();

    public DiodeOptions Diode { get; set; } = new();

    public WatchdogOptions Watchdog { get; set; } = new();

    public List<SensorOptions> Sensors { get; set; } = [];

    public HubOptions Hub { get; set; } = new();

    public LogOptions Log { get; set; } = new();

    public MqttOptions Mqtt { get; set; } = new();

    /// <summary>The owners whose M-of-N signed deployments this device accepts (issue 21).</summary>
    public Fleet.FleetOptions Fleet { get; set; } = new();

    /// <summary>Per-stream access for consumers on the published port (<c>diode.consumerPort</c>), keyed by stream id; a stream without an entry is readable by every consumer the Diode client vouches for.</summary>
    public Dictionary<string, StreamAccessOptions> Streams { get; set; } = new(StringComparer.Ordinal);
}
