using System.Text.Json;
using System.Text.Json.Nodes;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Sensors;

namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// Decides whether a deployment can be applied in place, without starting the host again (which drops every
/// consumer): when the new effective configuration differs from the running one only in the <c>interval</c> and
/// <c>report</c> rules of sensors that stay (same names, same order, every other setting equal), those sensors' loops
/// are started again with their new settings on their streams, and nothing else changes. Anything else (a sensor
/// added or removed, another section changed) needs the host started again.
/// </summary>
internal static class LiveSensorChanges
{
    /// <summary>The settings a sensor's loop takes again without its stream changing.</summary>
    public static readonly IReadOnlyList<string> LiveSettings = ["interval", "report"];

    /// <summary>The sensors to run with new settings (empty: nothing changes), or null when the change needs the host started again.</summary>
    public static IReadOnlyList<SensorOptions>? Plan(AgentOptions running, AgentOptions next)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(next);
        if (running.Sensors.Count != next.Sensors.Count)
        {
            return null;
        }

        var before = Effective(running);
        var after = Effective(next);
        var sensorsBefore = before["sensors"]!.AsArray();
        var sensorsAfter = after["sensors"]!.AsArray();
        before.Remove("sensors");
        after.Remove("sensors");
        if (!JsonNode.DeepEquals(before, after))
        {
            return null;
        }

        var changed = new List<SensorOptions>();
        for (int i = 0; i < sensorsBefore.Count; i++)
        {
            var old = sensorsBefore[i]!.AsObject();
            var now = sensorsAfter[i]!.AsObject();
            if (JsonNode.DeepEquals(old, now))
            {
                continue;
            }

            foreach (string setting in LiveSettings)
            {
                old.Remove(setting);
                now.Remove(setting);
            }

            if (!JsonNode.DeepEquals(old, now))
            {
                return null;
            }

            changed.Add(next.Sensors[i]);
        }

        return changed;
    }

    private static JsonObject Effective(AgentOptions options) =>
        JsonSerializer.SerializeToNode(options, AgentJsonContext.Default.AgentOptions)!.AsObject();
}
