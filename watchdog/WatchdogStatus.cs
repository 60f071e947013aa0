namespace Diode.Edge.Watchdog;

/// <summary>A snapshot of the watchdog for /health, the STATUS= line and <c>diode-edge watchdog status</c>.</summary>
public sealed record WatchdogStatus(
    WatchdogMode Mode,
    string Detail,
    string? Identity,
    TimeSpan? Timeout,
    TimeSpan? SystemdInterval,
    bool LastRebootByWatchdog,
    string? FailingCheck,
    bool StoppedForGood,
    long Pets)
{
    /// <summary>The check the reset-loop guard suspended on this boot; null: none.</summary>
    public ResetLoopSuspension? ResetLoop { get; init; }

    /// <summary>
    /// e.g. "watchdog: bcm2835_wdt 15s", "watchdog: off (no /dev/watchdog)",
    /// "watchdog: bcm2835_wdt 15s, resetLoop: suspended (sensor:env failed on the last 3 boots)".
    /// </summary>
    public string Summary => (Mode switch
    {
        WatchdogMode.Device when StoppedForGood => $"watchdog: stopped petting ({FailingCheck}), reset pending",
        WatchdogMode.Device => $"watchdog: {Identity} {Timeout?.TotalSeconds:F0}s",
        WatchdogMode.SystemdOnly => "watchdog: systemd only",
        _ => $"watchdog: off ({Detail})",
    }) + (ResetLoop is { } loop ? ", resetLoop: " + loop.Summary : string.Empty);
}
