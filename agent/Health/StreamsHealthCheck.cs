using Diode.Edge.Agent.Streams;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Diode.Edge.Agent.Health;

/// <summary>The hub's counters: streams, consumers, frames published and frames consumers lost by falling behind.</summary>
internal sealed class StreamsHealthCheck(StreamHub hub) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var streams = hub.Streams.ToList();
        var data = new Dictionary<string, object>
        {
            ["streams"] = streams.Count,
            ["consumers"] = streams.Sum(s => s.ConsumerCount),
            ["framesPublished"] = streams.Sum(s => s.FramesPublished),
            ["framesDroppedForSlowConsumers"] = streams.Sum(s => s.DroppedFrames),
        };
        return Task.FromResult(new HealthCheckResult(HealthStatus.Healthy, $"{streams.Count} streams, {data["consumers"]} consumers", data: data));
    }
}
