using System.Globalization;
using Diode.Edge.Agent.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Diode.Edge.Agent.Diode;

/// <summary>The Diode client in /health: healthy when validated, degraded otherwise (an offline Pi is still a healthy Pi), unhealthy only past <c>diode.unhealthyWhenOfflineFor</c>.</summary>
internal sealed class DiodeHealthCheck(DiodeSupervisor supervisor, IOptions<DiodeOptions> diode, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var s = supervisor.Status;
        var now = time.GetUtcNow();
        var data = new Dictionary<string, object>
        {
            ["state"] = s.State.ToString().ToLowerInvariant(),
            ["restarts"] = s.Restarts,
        };
        void Add(string key, object? value)
        {
            if (value is not null)
            {
                data[key] = value;
            }
        }

        Add("clientAddress", s.ClientAddress);
        Add("node", s.Node);
        Add("version", s.Version);
        Add("fleet", s.Fleet);
        Add("pid", s.Pid);
        Add("binary", s.Binary);
        Add("lastExitCode", s.LastExitCode);
        if (s.RelayPool > 0)
        {
            data["relaysConnected"] = s.RelaysConnected;
            data["relayPool"] = s.RelayPool;
        }

        Add("validatedAt", s.ValidatedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Add("validatedBlock", s.ValidatedBlock);
        Add("reachableAt", s.ReachableAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Add("api", s.Api);
        Add("lastRestartReason", s.LastRestartReason);
        if (s.RestartsBy.Count > 0)
        {
            data["restartsBy"] = string.Join(", ", s.RestartsBy.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"));
        }

        if (s.BlockQuickDowngrades > 0)
        {
            data["blockQuickDowngrades"] = s.BlockQuickDowngrades;
        }

        Add("mismatch", s.Mismatch);
        if (s.StartedAt is { } started && s.Pid is not null)
        {
            data["uptimeSeconds"] = Math.Round((now - started).TotalSeconds);
        }

        if (s.FailingSince is { } since)
        {
            data["failingForSeconds"] = Math.Round((now - since).TotalSeconds);
            data["failingSince"] = since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        var result = s.State switch
        {
            DiodeState.Disabled => HealthCheckResult.Healthy(s.Detail, data),
            DiodeState.Misconfigured => HealthCheckResult.Unhealthy("configuration error: " + s.Detail, data: data),
            DiodeState.Validated or DiodeState.Published when s.Mismatch is not null => HealthCheckResult.Unhealthy(s.Mismatch, data: data),
            DiodeState.Validated or DiodeState.Published => HealthCheckResult.Healthy(s.Detail, data),
            _ when diode.Value.UnhealthyWhenOfflineFor is { } limit && s.FailingSince is { } failing && now - failing > limit =>
                HealthCheckResult.Unhealthy($"offline for more than {Duration.Format(limit)}: {s.Detail}", data: data),
            _ => HealthCheckResult.Degraded(s.Detail, data: data),
        };
        return Task.FromResult(result);
    }
}
