using System.Diagnostics;
using Prometheus;

namespace Diode.Edge.Agent.Metrics;

/// <summary>
/// How long signing takes, how long frames take from publication to a consumer's socket (observed once per flush, not
/// per frame), and the socket consumers cut off for sending too much.
/// </summary>
internal sealed class DeliveryMetrics
{
    private readonly Histogram _serveLatency;
    private readonly Histogram _signLatency;
    private readonly Counter _inputOverflows;

    public DeliveryMetrics(AgentMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _serveLatency = metrics.Factory.CreateHistogram(
            "diode_edge_serve_latency_seconds",
            "Time from a frame's publication to its flush to a consumer.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });
        _signLatency = metrics.Factory.CreateHistogram(
            "diode_edge_sign_latency_seconds",
            "Time to sign one frame (EIP-191 over the payload), once per frame whatever the number of consumers.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.00005, 2, 14) });
        _inputOverflows = metrics.Factory.CreateCounter(
            "diode_edge_consumer_input_overflows_total",
            "Socket consumers cut off for sending more than 16 KB after their request (a consumer of a stream sends nothing).");
    }

    /// <summary>Socket consumers cut off so far for sending too much after their request.</summary>
    public long InputOverflows => (long)_inputOverflows.Value;

    public void CountInputOverflow() => _inputOverflows.Inc();

    public void ObserveSigned(TimeSpan elapsed) => _signLatency.Observe(elapsed.TotalSeconds);

    public void ObserveServed(long publishedTimestamp)
    {
        if (publishedTimestamp != 0)
        {
            _serveLatency.Observe(Stopwatch.GetElapsedTime(publishedTimestamp).TotalSeconds);
        }
    }
}
