using Diode.Edge.Agent.Configuration;
using Diode.Edge.Sensors;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Diode.Edge.Agent.Health;

/// <summary>
/// A sensor's health: ok while it reads on time; degraded when it fails, its breaker is open, it fails to start or it
/// has not produced a reading for three intervals. A sensor marked <c>critical</c> is unhealthy instead of degraded.
/// </summary>
internal sealed class SensorHealthCheck(SensorLoop loop, TimeProvider timeProvider) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = loop.Status;
        var options = loop.Options;
        var failing = options.Critical ? HealthStatus.Unhealthy : HealthStatus.Degraded;
        var now = timeProvider.GetUtcNow();
        var data = new Dictionary<string, object>
        {
            ["type"] = options.Type ?? string.Empty,
            ["state"] = status.State.ToString().ToLowerInvariant(),
            ["critical"] = options.Critical,
            ["readings"] = status.Readings,
            ["failures"] = status.Failures,
            ["retries"] = status.Retries,
            ["missed"] = status.Missed,
            ["successRate"] = Math.Round(status.SuccessRate, 4),
            ["breaker"] = status.State == SensorState.Open ? "open" : "closed",
            ["breakerOpenings"] = status.BreakerOpenings,
        };
        if (options.Report is not null)
        {
            // The reporting rules at work: how many samples became frames, how many they held back or dropped.
            data["reportPublished"] = loop.Reporting.Published;
            data["reportSuppressed"] = loop.Reporting.Suppressed;
            data["reportOutOfRange"] = loop.Reporting.OutOfRange;
        }
        if (status.Reason is not null)
        {
            data["reason"] = status.Reason;
        }

        if (status.LastReadingAt is { } last)
        {
            data["lastReadingAt"] = Rfc3339.ToText(last);
        }

        var stale = TimeSpan.FromTicks(options.Interval.Ticks * 3) + TimeSpan.FromSeconds(2);
        HealthCheckResult result = status.State switch
        {
            SensorState.Starting => new HealthCheckResult(HealthStatus.Healthy, "starting", data: data),
            SensorState.FailedToStart => new HealthCheckResult(failing, $"failed to start (attempt {status.StartAttempts}, trying again): {status.Reason}", data: data),
            SensorState.Degraded => new HealthCheckResult(failing, $"{status.ConsecutiveFailures} failed reads in a row: {status.Reason}", data: data),
            SensorState.Open => new HealthCheckResult(failing, $"circuit breaker open (tried again every {Duration.Format(options.BreakDuration)}): {status.Reason}", data: data),
            SensorState.Stopped => new HealthCheckResult(HealthStatus.Degraded, "stopped", data: data),
            _ when status.LastReadingAt is { } at && now - at > stale =>
                new HealthCheckResult(failing, $"no reading for {Duration.Format(TimeSpan.FromSeconds(Math.Round((now - at).TotalSeconds)))} (interval {Duration.Format(options.Interval)})", data: data),
            _ => new HealthCheckResult(HealthStatus.Healthy, "ok", data: data),
        };
        return Task.FromResult(result);
    }
}
