using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Diode.Edge.Agent.Mqtt;

/// <summary>The <c>mqtt</c> component of /health: healthy when connected, degraded (never unhealthy: the broker is not the device's health) with the reason when not.</summary>
internal sealed class MqttHealthCheck(MqttPublisherService publisher) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var s = publisher.Status;
        var data = new Dictionary<string, object>
        {
            ["broker"] = s.Broker,
            ["connected"] = s.Connected,
            ["framesPublished"] = s.FramesPublished,
            ["backlog"] = s.Backlog,
            ["reconnects"] = s.Reconnects,
            ["framesLost"] = s.FramesLost,
            ["homeAssistantRediscoveries"] = publisher.Rediscoveries,
        };
        return Task.FromResult(s.Connected
            ? new HealthCheckResult(HealthStatus.Healthy, $"connected to {s.Broker}", data: data)
            : new HealthCheckResult(HealthStatus.Degraded, $"not connected to {s.Broker}: {s.Problem}", data: data));
    }
}
