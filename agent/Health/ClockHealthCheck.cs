using Diode.Edge.Agent.Clock;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Diode.Edge.Agent.Health;

/// <summary>
/// The system clock as the frames state it: <c>synced</c> or <c>unsynced</c>, with the kernel's figures. Healthy either
/// way: a Pi without a clock battery is unsynchronised until NTP answers, which is no fault of the agent; what matters is
/// that every frame says so (<c>diode-edge doctor</c> warns when it lasts).
/// </summary>
internal sealed class ClockHealthCheck(ClockMonitor clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = clock.Read();
        var data = new Dictionary<string, object>
        {
            ["clock"] = now.Word,
            ["maxErrorMs"] = Math.Round(now.MaxErrorMicroseconds / 1000.0, 3),
            ["kernelState"] = now.KernelStateName,
            ["staUnsync"] = (now.Status & ClockSync.StaUnsync) != 0,
            ["unsyncedFrames"] = clock.UnsyncedFrames,
        };
        if (clock.SyncedAt is { } at)
        {
            data["syncedAt"] = Rfc3339.ToText(at);
        }

        string description = now.Synchronized
            ? "synchronised"
            : "not synchronised: frames say \"clock\":\"unsynced\" (is NTP on? timedatectl set-ntp true)";
        return Task.FromResult(new HealthCheckResult(HealthStatus.Healthy, description, data: data));
    }
}
