namespace Diode.Edge.Sensors;

/// <summary>One entry of the <c>sensors</c> list in config.json (DESIGN.md §7, §8a).</summary>
public sealed class SensorOptions
{
    /// <summary>Sensor type, e.g. <c>simulated</c>. Required.</summary>
    public string? Type { get; set; }

    /// <summary>Stream id the readings are published under: lower-case letters, digits, '-' and '_'. Required.</summary>
    public string? Name { get; set; }

    /// <summary>I2C bus number (I2C sensors).</summary>
    public int? Bus { get; set; }

    /// <summary>I2C address, e.g. <c>0x76</c> (I2C sensors).</summary>
    public string? Address { get; set; }

    /// <summary>GPIO pin, BCM numbering (GPIO sensors).</summary>
    public int? Pin { get; set; }

    /// <summary>How often the sensor is read.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>When true, a failure of this sensor makes the agent unhealthy (and stops the watchdog petting).</summary>
    public bool Critical { get; set; }

    /// <summary>Seed of the <c>simulated</c> sensor's waveforms; the same seed gives the same readings.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Simulated only: every n-th read fails (1 = every read), to try out health reporting and the watchdog gate; 0 = never.</summary>
    public int FailEvery { get; set; }

    /// <summary>Calibration offsets added to a quantity's value, by quantity name (e.g. <c>"temperature": -0.4</c>).</summary>
    public Dictionary<string, double> Offsets { get; set; } = new(StringComparer.Ordinal);
}
