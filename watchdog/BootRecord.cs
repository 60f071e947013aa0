namespace Diode.Edge.Watchdog;

/// <summary>
/// One boot in the boot history: how it began (<paramref name="ResetByWatchdog"/>, from WDIOC_GETBOOTSTATUS) and the
/// check that last closed the health gate during it (null: the gate never closed, or opened again). Boot N ended in a
/// watchdog reset by check C when boot N's <paramref name="GateClosedBy"/> is C and boot N+1 began with a watchdog reset.
/// </summary>
/// <param name="BootId">The kernel's <c>/proc/sys/kernel/random/boot_id</c>: an agent restarted within a boot keeps its record.</param>
/// <param name="StartedAt">When the agent first started in this boot (wall clock).</param>
/// <param name="GateClosedByAgentLiveness">The check was the agent's own liveness: never counted towards a loop.</param>
public sealed record BootRecord(string BootId, DateTimeOffset StartedAt, bool ResetByWatchdog, string? GateClosedBy, bool GateClosedByAgentLiveness);
