namespace Diode.Edge.Watchdog;

/// <summary>The <c>watchdog</c> section of config.json (docs/watchdog.md, docs/configuration.md).</summary>
public sealed class WatchdogOptions
{
    /// <summary>Pet a watchdog at all.</summary>
    public bool Enabled { get; set; }

    /// <summary>The watchdog device (<c>/dev/watchdog</c>, <c>/dev/watchdog0</c>), or <c>simulated</c>: a device in memory with the kernel's semantics, which logs the reset it would have caused.</summary>
    public string Device { get; set; } = "/dev/watchdog";

    /// <summary>Hardware timeout to program (bcm2835_wdt allows about 15 s at most; a longer one is clamped, with a warning).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the device is petted while the agent is healthy.</summary>
    public TimeSpan PetInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the agent may stay unhealthy before it stops petting for good and lets the board reset.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long each watched loop (a critical sensor, the host, the Diode supervisor) may take to report for the first time after start.</summary>
    public TimeSpan StartupGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The reset-loop guard: a check that reset the board on each of the last boots stops closing the health gate.</summary>
    public ResetLoopOptions ResetLoop { get; set; } = new();

    /// <summary>System checks, like the Debian watchdog daemon's; each is off at 0 or null.</summary>
    public WatchdogChecksOptions Checks { get; set; } = new();
}
