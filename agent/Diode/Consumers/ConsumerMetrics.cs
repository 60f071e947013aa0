using Diode.Edge.Agent.Diode.Api;
using Diode.Edge.Agent.Metrics;
using Prometheus;

namespace Diode.Edge.Agent.Diode.Consumers;

/// <summary>Consumers on the published port in /metrics; the address label is bounded to <see cref="MaxAddresses"/> values, the rest count as <c>other</c>.</summary>
internal sealed class ConsumerMetrics : IMetricSet
{
    public const int MaxAddresses = 100;

    private readonly Counter _connections;
    private readonly Counter _refused;
    private readonly HashSet<string> _addresses = new(StringComparer.Ordinal);

    public ConsumerMetrics(AgentMetrics metrics, DiodeConfigApi api)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(api);
        var f = metrics.Factory;
        _connections = f.CreateCounter("diode_edge_consumer_connections_total", "Connections to the published port accepted, per consumer address the Diode client vouched for (at most 100 addresses; the rest under \"other\").", ["address"]);
        _refused = f.CreateCounter("diode_edge_consumer_refused_total", "Connections to the published port closed before HTTP because the Diode client did not vouch for the peer.", ["reason"]);
        var oversized = f.CreateCounter("diode_edge_diode_api_oversized_total", "Config API answers refused for a body over 64 KB.");
        var failures = f.CreateCounter("diode_edge_diode_api_failures_total", "Config API requests without a usable answer (unreachable, timed out, unexpected status or body).");
        metrics.OnCollect(() =>
        {
            oversized.IncTo(api.OversizedResponses);
            failures.IncTo(api.Failures);
        });
    }

    public void Accepted(string address)
    {
        string label;
        lock (_addresses)
        {
            label = _addresses.Contains(address) || (_addresses.Count < MaxAddresses && _addresses.Add(address)) ? address : "other";
        }

        _connections.WithLabels(label).Inc();
    }

    public void Refused(string reason) => _refused.WithLabels(reason).Inc();
}
