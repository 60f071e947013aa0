using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Diode.Edge.Agent.Relay;

/// <summary>The relay in /health: degraded while the upstream is unreachable (consumers keep what they have and resume later).</summary>
internal sealed class RelayHealthCheck(RelayOptions options, RelayCounters counters) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["upstream"] = options.Upstream.ToString(),
            ["device"] = options.Device,
            ["framesForwarded"] = counters.Forwarded,
            ["framesRejected"] = counters.Rejected,
            ["duplicates"] = counters.Duplicates,
            ["oversizedLines"] = counters.OversizedLines,
            ["reconnects"] = counters.Reconnects,
        };
        if (counters.LastRejection is { } last)
        {
            data["lastRejection"] = last;
        }

        return Task.FromResult(counters.Connected
            ? new HealthCheckResult(HealthStatus.Healthy, "following " + options.Upstream, data: data)
            : new HealthCheckResult(HealthStatus.Degraded, "upstream not connected: " + options.Upstream, data: data));
    }
}
