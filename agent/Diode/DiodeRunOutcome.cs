namespace Diode.Edge.Agent.Diode;

/// <summary>How one run of the client ended: why, its exit code, how long it ran, and whether that run counts as stable (the backoff starts again).</summary>
internal sealed record DiodeRunOutcome(DiodeRunEnd End, int? ExitCode, TimeSpan Uptime, bool Stable, string Reason);
