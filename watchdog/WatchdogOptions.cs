using System.ComponentModel;

namespace Diode.Edge.Watchdog;

/// <summary>The <c>watchdog</c> section of config.json (docs/watchdog.md, docs/configuration.md).</summary>
public sealed class WatchdogOptions
{
    /// <summary>Pet a watchdog at all.</summary>
    [Description("Pet a hardware watchdog, so a hung or unhealthy Pi is reset.")]
    public bool Enabled { get; set; }

    /// <summary>The watchdog device (<c>/dev/watchdog</c>, <c>/dev/watchdog0</c>), or <c>simulated</c>: a device in memory with the kernel's semantics, which logs the reset it would have caused.</summary>
    [Description("The watchdog device (/dev/watchdog), or simulated: a device in memory that logs the reset it would have caused.")]
    public string Device { get; set; } = "/dev/watchdog";

    /// <summary>Hardware timeout to program (bcm2835_wdt allows about 15 s at most; a longer one is clamped, with a warning).</summary>
    [Description("Hardware timeout to program, 1s to 1h (bcm2835_wdt allows about 15s; a longer one is clamped, with a warning).")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the device is petted while the agent is healthy.</summary>
    [Description("How often the device is petted while the agent is healthy (below timeout).")]
    public TimeSpan PetInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the agent may stay unhealthy before it stops petting for good and lets the board reset.</summary>
    [Description("How long the agent may stay unhealthy before it stops petting for good and lets the board reset.")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long each watched loop (a critical sensor, the host, the Diode supervisor) may take to report for the first time after start.</summary>
    [Description("How long each watched loop (a critical sensor, the host, the Diode supervisor) may take to report first after start, 0s to 30m.")]
    public TimeSpan StartupGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The reset-loop guard: a check that reset the board on each of the last boots stops closing the health gate.</summary>
    [Description("The reset-loop guard: a check that reset the board on each of the last boots stops closing the health gate.")]
    public ResetLoopOptions ResetLoop { get; set; } = new();

    /// <summary>System checks, like the Debian watchdog daemon's; each is off at 0 or null.</summary>
    [Description("System checks of the health gate, like the Debian watchdog daemon's; each is off at 0 or null.")]
    public WatchdogChecksOptions Checks { get; set; } = new();
}
