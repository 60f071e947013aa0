using System.Text.Json;

namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// Where this device stands with deployments: the seq of the configuration it runs (<see cref="AppliedSeq"/>, 0 for
/// none), the highest seq it ever took (a rolled-back one included, so it is never taken again), and what happened to
/// the last deployment it took (<see cref="State"/>: <c>none</c>, <c>pending</c>, <c>applied</c>, <c>rolledBack</c>),
/// with why, when and, for a rollback, the component that was not healthy. Refused documents are reported apart
/// (<see cref="DeploymentRejected"/>), so none can hide what happened to the last one taken.
/// </summary>
internal sealed record DeploymentStatus(ulong AppliedSeq, ulong HighestSeq, string State, ulong Seq, string Reason, DateTimeOffset? At, string? Component)
{
    public static readonly DeploymentStatus None = new(0, 0, "none", 0, "no deployment received", null, null);

    /// <summary>Its members as status.json and the signed statement spell them: appliedSeq, highestSeq, state, seq, reason, at, component.</summary>
    public void WriteMembers(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumber("appliedSeq", AppliedSeq);
        writer.WriteNumber("highestSeq", HighestSeq);
        writer.WriteString("state", State);
        writer.WriteNumber("seq", Seq);
        writer.WriteString("reason", Reason);
        if (At is { } at)
        {
            writer.WriteString("at", Rfc3339.ToText(at));
        }

        if (Component is { } component)
        {
            writer.WriteString("component", component);
        }
    }
}
