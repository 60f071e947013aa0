using Diode.Edge.Agent.Streams;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Diode.Edge.Agent.Health;

/// <summary>The host process: started, not stopping; with version and uptime (since the hub's epoch, the agent's start).</summary>
internal sealed class HostHealthCheck(IHostApplicationLifetime lifetime, TimeProvider timeProvider, StreamHub hub) : IHealthCheck
{
    private readonly DateTimeOffset _startedAt = DateTimeOffset.FromUnixTimeMilliseconds(hub.Epoch);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["version"] = AgentVersion.Current,
            ["uptimeSeconds"] = Math.Round((timeProvider.GetUtcNow() - _startedAt).TotalSeconds),
            ["pid"] = Environment.ProcessId,
        };
        var result = lifetime.ApplicationStopping.IsCancellationRequested
            ? new HealthCheckResult(HealthStatus.Unhealthy, "stopping", data: data)
            : new HealthCheckResult(HealthStatus.Healthy, "running", data: data);
        return Task.FromResult(result);
    }
}
