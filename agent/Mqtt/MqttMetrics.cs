using Diode.Edge.Agent.Metrics;

namespace Diode.Edge.Agent.Mqtt;

/// <summary>The MQTT output's counters in /metrics, copied at scrape time.</summary>
internal sealed class MqttMetrics : IMetricSet
{
    public MqttMetrics(AgentMetrics metrics, MqttPublisherService publisher)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(publisher);
        var f = metrics.Factory;
        var published = f.CreateCounter("diode_edge_mqtt_frames_published_total", "Frames the broker acknowledged (QoS 1 PUBACK).");
        var backlog = f.CreateGauge("diode_edge_mqtt_backlog_frames", "Frames published by the sensors but not yet acknowledged by the broker.");
        var reconnects = f.CreateCounter("diode_edge_mqtt_reconnects_total", "Connections lost and connection attempts that failed.");
        var failures = f.CreateCounter("diode_edge_mqtt_publish_failures_total", "Publishes the broker refused.");
        var lost = f.CreateCounter("diode_edge_mqtt_frames_lost_total", "Frames no longer in memory or the store when the broker came back.");
        var connected = f.CreateGauge("diode_edge_mqtt_connected", "1 while connected to the broker.");
        metrics.OnCollect(() =>
        {
            var s = publisher.Status;
            published.IncTo(s.FramesPublished);
            backlog.Set(s.Backlog);
            reconnects.IncTo(s.Reconnects);
            failures.IncTo(s.PublishFailures);
            lost.IncTo(s.FramesLost);
            connected.Set(s.Connected ? 1 : 0);
        });
    }
}
