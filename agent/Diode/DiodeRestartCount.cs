namespace Diode.Edge.Agent.Diode;

/// <summary>The restarts counted so far: in all, and by cause (<see cref="DiodeRestartPolicy.Cause"/>).</summary>
internal sealed record DiodeRestartCount(long Restarts, IReadOnlyDictionary<string, long> By);
