using Diode.Edge.Watchdog;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Diode.Edge.Agent.Health;

/// <summary>The watchdog in /health: how the board is kept alive, and unhealthy while the health gate is closed.</summary>
internal sealed class WatchdogHealthCheck(WatchdogService watchdog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var s = watchdog.Status;
        var data = new Dictionary<string, object>
        {
            ["mode"] = s.Mode switch { WatchdogMode.Device => "device", WatchdogMode.SystemdOnly => "systemd-only", _ => "off" },
            ["pets"] = s.Pets,
            ["lastRebootByWatchdog"] = s.LastRebootByWatchdog,
        };
        if (s.Identity is not null)
        {
            data["identity"] = s.Identity;
        }

        if (s.Timeout is { } timeout)
        {
            data["timeoutSeconds"] = timeout.TotalSeconds;
        }

        if (s.SystemdInterval is { } interval)
        {
            data["systemdPingSeconds"] = interval.TotalSeconds;
        }

        if (s.LastRebootByWatchdog)
        {
            data["bootStatus"] = "the last reboot was caused by the watchdog";
        }

        if (s.ResetLoop is { } loop)
        {
            data["resetLoop"] = loop.Summary;
        }

        var result = s.FailingCheck is { } failing
            ? new HealthCheckResult(HealthStatus.Unhealthy, (s.StoppedForGood ? "stopped petting for good, reset pending: " : "health gate closed: ") + failing, data: data)
            : s.ResetLoop is not null
                ? new HealthCheckResult(HealthStatus.Degraded, s.Summary, data: data)
                : new HealthCheckResult(HealthStatus.Healthy, s.Summary, data: data);
        return Task.FromResult(result);
    }
}
