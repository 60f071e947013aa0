namespace Diode.Edge.Watchdog;

/// <summary>The <c>watchdog</c> section of config.json (DESIGN.md §6, §8a).</summary>
public sealed class WatchdogOptions
{
    /// <summary>Pet the hardware watchdog at all. Off in the dev config; on in the Pi config.</summary>
    public bool Enabled { get; set; }

    /// <summary>The watchdog device.</summary>
    public string Device { get; set; } = "/dev/watchdog";

    /// <summary>Hardware timeout to program (bcm2835_wdt allows about 15 s at most).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the device is petted while the agent is healthy.</summary>
    public TimeSpan PetInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the agent may stay unhealthy before it stops petting for good and lets the board reset.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(30);
}
