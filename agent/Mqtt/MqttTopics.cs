namespace Diode.Edge.Agent.Mqtt;

/// <summary>
/// The topic scheme (docs/mqtt.md), all under <c>&lt;prefix&gt;/&lt;device address, lower case&gt;/</c>:
/// <c>&lt;stream&gt;/frame</c> the signed frame as /streams/{id}/latest serves it, <c>&lt;stream&gt;/state</c> its plain values
/// for Home Assistant, <c>status</c> <c>online</c>/<c>offline</c> (the Last Will).
/// </summary>
internal sealed class MqttTopics(string prefix, string deviceAddress)
{
    public const string Online = "online";
    public const string Offline = "offline";

    public string Device { get; } = deviceAddress.ToLowerInvariant();

    public string Status => $"{prefix}/{Device}/status";

    public string Frame(string streamId) => $"{prefix}/{Device}/{streamId}/frame";

    public string State(string streamId) => $"{prefix}/{Device}/{streamId}/state";
}
