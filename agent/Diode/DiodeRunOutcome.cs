namespace Diode.Edge.Agent.Diode;

/// <summary>How one run of the client ended: why, its exit code, how long it ran, and whether that run counts as stable (the backoff starts again).</summary>
internal sealed record DiodeRunOutcome(DiodeRunEnd End, int? ExitCode, TimeSpan Uptime, bool Stable, string Reason)
{
    /// <summary>
    /// How a run ended (pure): <paramref name="end"/> and <paramref name="reason"/> when the supervisor stopped it (the
    /// agent stopping, or the liveness policy), null when the client exited by itself, which <paramref name="run"/>'s
    /// lines then explain. Exit 0 before its version line: it refused its command line and printed its usage.
    /// </summary>
    public static DiodeRunOutcome Of(DiodeRunEnd? end, string? reason, int code, TimeSpan uptime, DiodeRunObserver run, TimeSpan stableAfter)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (end == DiodeRunEnd.Stopping)
        {
            return new DiodeRunOutcome(DiodeRunEnd.Stopping, code, uptime, false, "stopping");
        }

        if (end is { } why)
        {
            return new DiodeRunOutcome(why, code, uptime, false, reason ?? why.ToString());
        }

        if (code == 0 && run.Version is null)
        {
            string detail = $"the client exited 0 without starting after {uptime.TotalSeconds:F1} s: it refused its command line (a flag error prints the usage); check diode.extraArgs and the client version";
            return new DiodeRunOutcome(DiodeRunEnd.Misconfigured, code, uptime, false, detail);
        }

        string exited = $"exited with code {code} after {uptime.TotalSeconds:F1} s" + (run.LastError is { } error ? $" ({error})" : string.Empty);
        return new DiodeRunOutcome(DiodeRunEnd.Crashed, code, uptime, uptime >= stableAfter, exited);
    }
}
