using System.Diagnostics;
using Prometheus;

namespace Diode.Edge.Agent.Metrics;

/// <summary>How long frames take from publication to a consumer's socket (observed once per flush, not per frame).</summary>
public sealed class DeliveryMetrics
{
    private readonly Histogram _serveLatency;

    public DeliveryMetrics(AgentMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _serveLatency = metrics.Factory.CreateHistogram(
            "diode_edge_serve_latency_seconds",
            "Time from a frame's publication to its flush to a consumer.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });
    }

    public void ObserveServed(long publishedTimestamp)
    {
        if (publishedTimestamp != 0)
        {
            _serveLatency.Observe(Stopwatch.GetElapsedTime(publishedTimestamp).TotalSeconds);
        }
    }
}
