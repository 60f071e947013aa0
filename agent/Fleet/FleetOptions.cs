using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// <c>fleet</c>: the owners whose signed deployments this device accepts. Without owners the feature is off.
/// A deployment names its fleet by the fleet contract, which is this device's <c>diode.fleet</c>.
/// </summary>
internal sealed partial class FleetOptions
{
    /// <summary>The owners' addresses (0x and 40 hex digits).</summary>
    [Description("The owners' addresses (0x and 40 hex digits); empty: deployments are off.")]
    public List<string> Owners { get; set; } = [];

    /// <summary>M: how many distinct owners must sign a deployment (1 to the number of owners).</summary>
    [Description("M: how many distinct owners must sign a deployment (1 to the number of owners).")]
    public int Threshold { get; set; } = 1;

    /// <summary>This device's tags, which a deployment's target may match (e.g. <c>{"site":"greenhouse"}</c>).</summary>
    [Description("This device's tags, which a deployment's target may match (e.g. {\"site\": \"greenhouse\"}).")]
    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Where this device fetches deployments from (http or https URLs of a document: another device's
    /// <c>/deployments/latest</c>, a relay, any web server), every <see cref="PullInterval"/>. Not trusted: each
    /// document proves itself.
    /// </summary>
    [Description("http or https URLs this device fetches deployments from every pullInterval (not trusted: each document proves itself).")]
    public List<string> Sources { get; set; } = [];

    /// <summary>How often <see cref="Sources"/> are fetched.</summary>
    [Description("How often sources are fetched, 1s to 1d.")]
    public TimeSpan PullInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The MQTT topic whose retained message is a deployment, when <c>mqtt.enabled</c>; null means
    /// <c>&lt;mqtt.topicPrefix&gt;/fleet/&lt;diode.fleet&gt;/deployment</c>. Not trusted either.
    /// </summary>
    [Description("The MQTT topic whose retained message is a deployment (when mqtt.enabled); null: <mqtt.topicPrefix>/fleet/<diode.fleet>/deployment.")]
    public string? MqttTopic { get; set; }

    /// <summary>Whether deployments are accepted at all.</summary>
    [JsonIgnore]
    public bool Enabled => Owners.Count > 0;
}
