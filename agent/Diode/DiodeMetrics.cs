using Diode.Edge.Agent.Metrics;
using Prometheus;

namespace Diode.Edge.Agent.Diode;

/// <summary>The Diode client in /metrics.</summary>
public sealed class DiodeMetrics
{
    public DiodeMetrics(AgentMetrics metrics, DiodeSupervisor supervisor, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(supervisor);
        var f = metrics.Factory;
        var state = f.CreateGauge("diode_edge_diode_state", "1 for the Diode client's current state.", ["state"]);
        var restarts = f.CreateCounter("diode_edge_diode_restarts_total", "Restarts of the Diode client (exits, crashes, and hangs without validation).");
        var uptime = f.CreateGauge("diode_edge_diode_uptime_seconds", "How long the current Diode client process has run.");
        var connected = f.CreateGauge("diode_edge_diode_connected", "1 while the Diode client has validated the network.");
        metrics.OnCollect(() =>
        {
            var s = supervisor.Status;
            foreach (var value in Enum.GetValues<DiodeState>())
            {
                state.WithLabels(value.ToString().ToLowerInvariant()).Set(value == s.State ? 1 : 0);
            }

            restarts.IncTo(s.Restarts);
            uptime.Set(s.StartedAt is { } started && s.Pid is not null ? (time.GetUtcNow() - started).TotalSeconds : 0);
            connected.Set(s.State is DiodeState.Validated or DiodeState.Published ? 1 : 0);
        });
    }
}
