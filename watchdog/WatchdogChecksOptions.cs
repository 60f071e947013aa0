using System.ComponentModel;

namespace Diode.Edge.Watchdog;

/// <summary>System checks of the health gate (the Debian watchdog daemon's tests); a check is off at 0 or null.</summary>
public sealed class WatchdogChecksOptions
{
    /// <summary>How often the checks run.</summary>
    [Description("How often the checks run (at least 100ms).")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Minimum available memory (MemAvailable), in bytes (<c>32MB</c>).</summary>
    [ByteSize]
    [Description("Minimum available memory (MemAvailable), e.g. 32MB; 0: off.")]
    public long MinFreeMemory { get; set; }

    /// <summary>Maximum 1-minute load average.</summary>
    [Description("Maximum 1-minute load average; 0: off.")]
    public double MaxLoad1 { get; set; }

    /// <summary>Maximum 5-minute load average.</summary>
    [Description("Maximum 5-minute load average; 0: off.")]
    public double MaxLoad5 { get; set; }

    /// <summary>Maximum 15-minute load average.</summary>
    [Description("Maximum 15-minute load average; 0: off.")]
    public double MaxLoad15 { get; set; }

    /// <summary>Maximum SoC temperature in Cel.</summary>
    [Description("Maximum SoC temperature in degrees Celsius; 0: off.")]
    public double MaxTemperature { get; set; }

    /// <summary>Where the SoC temperature is read (millidegrees Celsius).</summary>
    [Description("Where the SoC temperature is read (in millidegrees Celsius).")]
    public string TemperatureDevice { get; set; } = "/sys/class/thermal/thermal_zone0/temp";

    /// <summary>A file that must keep changing (e.g. written by another service); null: off.</summary>
    [Description("A file that must keep changing (e.g. written by another service); null: off.")]
    public string? File { get; set; }

    /// <summary>How old <see cref="File"/> may get.</summary>
    [Description("How old file may get before the check fails.")]
    public TimeSpan FileMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A command that must exit 0 (run without a shell: the program, then arguments separated by spaces); null: off.</summary>
    [Description("A command that must exit 0, run without a shell (the program, then arguments separated by spaces); null: off.")]
    public string? TestCommand { get; set; }

    /// <summary>How long <see cref="TestCommand"/> may take.</summary>
    [Description("How long testCommand may take.")]
    public TimeSpan TestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
