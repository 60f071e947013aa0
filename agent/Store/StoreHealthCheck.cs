using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Diode.Edge.Agent.Store;

/// <summary>The store in /health: degraded (never unhealthy) when it cannot write, since the live streams go on without it.</summary>
internal sealed class StoreHealthCheck(StoreWriterService writer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var s = writer.Status;
        var data = new Dictionary<string, object>
        {
            ["sizeBytes"] = s.SizeBytes,
            ["frames"] = s.Frames,
            ["framesWritten"] = s.FramesWritten,
            ["framesDropped"] = s.FramesDropped,
            ["writeErrors"] = s.WriteErrors,
        };
        if (s.OldestFrameAt is { } oldest)
        {
            data["oldestFrameAt"] = Format(oldest);
        }

        if (s.LastWriteAt is { } last)
        {
            data["lastWriteAt"] = Format(last);
        }

        foreach (var (stream, seq) in s.DurableSeq)
        {
            data["durableSeq:" + stream] = seq;
        }

        return Task.FromResult(s.Writable
            ? new HealthCheckResult(HealthStatus.Healthy, "writing", data: data)
            : new HealthCheckResult(HealthStatus.Degraded, s.Problem, data: data));
    }

    private static string Format(DateTimeOffset at) => Rfc3339.ToText(at);
}
