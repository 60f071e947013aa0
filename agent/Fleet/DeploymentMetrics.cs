using Diode.Edge.Agent.Metrics;

namespace Diode.Edge.Agent.Fleet;

/// <summary>The deployments in /metrics: the applied seq, and the documents offered by result (accepted, or why rejected).</summary>
internal sealed class DeploymentMetrics : IMetricSet
{
    public DeploymentMetrics(AgentMetrics metrics, DeploymentService service, MqttDeploymentCarrier mqtt)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(service);
        var applied = metrics.Factory.CreateGauge("diode_edge_deployment_applied_seq", "The seq of the deployment whose configuration the agent runs (0: the local configuration alone).");
        var rolledBack = metrics.Factory.CreateGauge("diode_edge_deployment_rolled_back", "1 when the last deployment was rolled back because the agent was not healthy with it.");
        var offered = metrics.Factory.CreateCounter("diode_edge_deployments_offered_total", "Deployment documents offered to this device, by result: accepted, or the rejection (notNewer, notEnoughSignatures, ...).", ["result"]);
        var mqttReceived = metrics.Factory.CreateCounter("diode_edge_deployment_mqtt_messages_total", "Messages on the MQTT deployment topic (fleet.mqttTopic), by result: received, or tooLarge (refused unread).", ["result"]);
        metrics.OnCollect(() =>
        {
            if (mqtt.Topic is not null)
            {
                mqttReceived.WithLabels("received").IncTo(mqtt.Received);
                mqttReceived.WithLabels("tooLarge").IncTo(mqtt.TooLarge);
            }

            var status = service.State.Status;
            applied.Set(status.AppliedSeq);
            rolledBack.Set(status.State == "rolledBack" ? 1 : 0);
            foreach (var (result, count) in service.Offered)
            {
                offered.WithLabels(result).IncTo(count);
            }
        });
    }
}
