namespace Diode.Edge.Agent.Metrics;

/// <summary>
/// A feature's collectors, which register themselves on <see cref="AgentMetrics"/> when the set is created. A feature
/// registers its set with <see cref="MetricsRegistration.AddMetricSet{TMetrics}"/>; the host creates every registered
/// set before it serves /metrics, so the first scrape already shows each feature's series.
/// </summary>
internal interface IMetricSet;
