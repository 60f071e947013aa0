namespace Diode.Edge.Agent.Mqtt;

/// <summary>The MQTT output at one moment, for /health and /metrics.</summary>
/// <param name="Problem">Why it is not connected (the broker's or the network's words), null when connected.</param>
/// <param name="Backlog">Frames taken but not yet acknowledged by the broker (all streams).</param>
/// <param name="FramesLost">Frames neither memory nor the store still held when their turn came (a long outage without a store).</param>
internal sealed record MqttStatus(
    bool Connected,
    string Broker,
    string? Problem,
    long FramesPublished,
    long Backlog,
    long Reconnects,
    long PublishFailures,
    long FramesLost);
