namespace Diode.Edge.Sensors;

/// <summary>One entry of the <c>sensors</c> list in config.json (docs/sensors.md, docs/configuration.md).</summary>
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

    /// <summary><c>ads1115</c>: the inputs to publish, each with its range (gain) and quantity name. Default: A0 at ±4.096 V.</summary>
    public List<AdcChannelOptions> Channels { get; set; } = [];

    /// <summary><c>ds18b20</c>: quantity name → 1-Wire id (e.g. <c>"temperature_tank": "28-0316a2799bff"</c>). Empty: every thermometer found.</summary>
    public Dictionary<string, string> Probes { get; set; } = new(StringComparer.Ordinal);

    /// <summary><c>gpio-input</c>: the pin's internal resistor (none, up, down).</summary>
    public GpioPull Pull { get; set; } = GpioPull.Up;

    /// <summary><c>gpio-input</c>: edges closer than this to the last published one are contact bounce.</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long one read may take before it counts as failed (a stuck bus). Default: the interval, at most 5 s.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>How long the circuit breaker stays open after the sensor kept failing, before one trial read.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Calibration offsets added to a quantity's value, by quantity name (e.g. <c>"temperature": -0.4</c>).</summary>
    public Dictionary<string, double> Offsets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Reporting rules (deadband, heartbeat, throttle, median, average, range), applied before signing; none: every sample is published.</summary>
    public Reporting.ReportOptions? Report { get; set; }
}
