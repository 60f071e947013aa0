using Diode.Edge.Watchdog;
using Prometheus;

namespace Diode.Edge.Agent.Metrics;

/// <summary>The watchdog's reset-loop guard in /metrics.</summary>
internal sealed class WatchdogMetrics : IMetricSet
{
    public WatchdogMetrics(AgentMetrics metrics, WatchdogService watchdog)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(watchdog);
        var suspended = metrics.Factory.CreateGauge(
            "diode_edge_watchdog_reset_loop_suspended",
            "1 while a check that reset the board on each of the last boots no longer stops the watchdog petting (watchdog.resetLoop).");
        var check = metrics.Factory.CreateGauge(
            "diode_edge_watchdog_reset_loop_check",
            "1 for the check suspended by the reset-loop guard, while it is (the boots it reset in the 'boots' label).",
            ["check", "boots"]);
        ResetLoopSuspension? shown = null;
        metrics.OnCollect(() =>
        {
            var loop = watchdog.Status.ResetLoop;
            suspended.Set(loop is null ? 0 : 1);
            if (shown is not null && shown != loop)
            {
                check.RemoveLabelled(shown.Check, shown.Boots.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            if (loop is not null)
            {
                check.WithLabels(loop.Check, loop.Boots.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set(1);
            }

            shown = loop;
        });
    }
}
