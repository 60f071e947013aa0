namespace Diode.Edge.Watchdog;

/// <summary>How the agent keeps the board alive.</summary>
public enum WatchdogMode
{
    /// <summary>No hardware watchdog (disabled, no device, or no permission); the systemd service watchdog may still run.</summary>
    Off,

    /// <summary>Petting a hardware (or simulated) watchdog device.</summary>
    Device,

    /// <summary>The device is held by systemd (RuntimeWatchdogSec) or another daemon; the systemd service watchdog is used alone.</summary>
    SystemdOnly,
}
