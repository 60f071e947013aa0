using Diode.Edge.Agent.Metrics;
using Prometheus;

namespace Diode.Edge.Agent.Diode;

/// <summary>The Diode client in /metrics.</summary>
internal sealed class DiodeMetrics : IMetricSet
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
        var relays = f.CreateGauge("diode_edge_diode_relays_connected", "Relays of the Diode client's pool taken as connected (the pool less those its lines report lost or failing).");
        var pool = f.CreateGauge("diode_edge_diode_relay_pool", "Relays in the Diode client's pool.");
        var causes = f.CreateCounter("diode_edge_diode_restarts_by_cause_total", "Restarts of the Diode client by cause: crashed, offline, notValidated, unreachable, unresponsive, misconfigured.", ["cause"]);
        var downgrades = f.CreateCounter("diode_edge_diode_blockquick_downgrades_total", "Starts of the Diode client with -bqdowngrade (after starts that never validated the network).");
        var truncated = f.CreateCounter("diode_edge_diode_truncated_lines_total", "Lines of the Diode client's output cut at the line bound (4 KB).");
        var mismatch = f.CreateGauge("diode_edge_diode_mismatch", "1 while the Diode client reports another fleet than diode.fleet, or another address than the shared device key.");
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
            relays.Set(s.RelaysConnected);
            pool.Set(s.RelayPool);
            foreach (var (cause, count) in s.RestartsBy)
            {
                causes.WithLabels(cause).IncTo(count);
            }

            downgrades.IncTo(s.BlockQuickDowngrades);
            truncated.IncTo(s.TruncatedLines);
            mismatch.Set(s.Mismatch is null ? 0 : 1);
        });
    }
}
