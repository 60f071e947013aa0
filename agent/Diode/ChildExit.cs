namespace Diode.Edge.Agent.Diode;

/// <summary>How one run of the client ended: its exit code, how long it ran, and whether the agent is stopping.</summary>
public sealed record ChildExit(int? ExitCode, TimeSpan Uptime, bool Stable, bool Stopping, string Reason);
