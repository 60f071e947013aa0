using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Diode.Edge.Agent.Fleet;

/// <summary>The deployments in /health: the applied seq and the last document's fate; degraded after a rollback, off without owners.</summary>
internal sealed class DeploymentHealthCheck(DeploymentState state, IOptions<FleetOptions> fleet) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!fleet.Value.Enabled)
        {
            return Task.FromResult(HealthCheckResult.Healthy("off: no fleet.owners, this device takes no deployments"));
        }

        var s = state.Status;
        var data = new Dictionary<string, object>
        {
            ["appliedSeq"] = s.AppliedSeq,
            ["state"] = s.State,
            ["seq"] = s.Seq,
            ["reason"] = s.Reason,
        };
        if (s.At is { } at)
        {
            data["at"] = Rfc3339.ToText(at);
        }

        if (s.Component is { } component)
        {
            data["component"] = component;
        }

        if (state.LastRejected is { } rejected)
        {
            data["lastRejected"] = $"seq {rejected.Seq} at {Rfc3339.ToText(rejected.At)}: {rejected.Rejection}: {rejected.Reason}";
        }

        string description = $"{s.State} (seq {s.Seq}, applied {s.AppliedSeq}): {s.Reason}";
        return Task.FromResult(s.State == "rolledBack" ? HealthCheckResult.Degraded(description, data: data) : HealthCheckResult.Healthy(description, data));
    }
}
