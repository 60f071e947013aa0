using Prometheus;

namespace Diode.Edge.Agent.Metrics;

/// <summary>
/// The agent's Prometheus registry, one per host (so hosts in one process never share counters), with the .NET
/// process metrics (CPU, memory, GC). Components add their collectors through <see cref="Factory"/> and, where they
/// already count things, copy their counters in at scrape time with <see cref="OnCollect"/>, so hot paths pay nothing.
/// </summary>
internal sealed class AgentMetrics
{
    public AgentMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
    }

    public CollectorRegistry Registry { get; }

    public IMetricFactory Factory { get; }

    /// <summary>Runs <paramref name="update"/> before every scrape of /metrics.</summary>
    public void OnCollect(Action update) => Registry.AddBeforeCollectCallback(update);
}
