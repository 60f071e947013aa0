namespace Diode.Edge.Watchdog;

/// <summary>
/// Why the health gate is closed. <paramref name="Check"/> is the same from boot to boot (<c>sensor:env</c>,
/// <c>temperature</c>, <c>host</c>), so the boot history can tell that one check reset the board again and again;
/// <paramref name="Message"/> is the line for the log. A failure of the agent's own liveness (the host heartbeat, the
/// system checks no longer running: a stuck thread pool) is never suspended by the reset-loop guard.
/// </summary>
public sealed record GateFailure(string Check, string Message, bool AgentLiveness);
