using System.ComponentModel;

namespace Diode.Edge.Sensors;

/// <summary>One entry of the <c>sensors</c> list in config.json (docs/sensors.md, docs/configuration.md).</summary>
public sealed class SensorOptions
{
    /// <summary>Sensor type, e.g. <c>simulated</c>. Required.</summary>
    [Description("Sensor type (required): simulated, bme280, bmp280, bme680, sht3x, bh1750, ads1115, dht22, ds18b20, cpu-temperature or gpio-input.")]
    public string? Type { get; set; }

    /// <summary>Stream id the readings are published under: lower-case letters, digits, '-' and '_'. Required.</summary>
    [Description("Stream id the readings are published under (required, unique): lower-case letters, digits, - and _, at most 64.")]
    public string? Name { get; set; }

    /// <summary>I2C bus number (I2C sensors).</summary>
    [Description("I2C bus number (I2C sensors).")]
    public int? Bus { get; set; }

    /// <summary>I2C address, e.g. <c>0x76</c> (I2C sensors).</summary>
    [Description("I2C address, e.g. 0x76 (I2C sensors).")]
    public string? Address { get; set; }

    /// <summary>GPIO pin, BCM numbering (GPIO sensors).</summary>
    [Description("GPIO pin in BCM numbering (GPIO sensors).")]
    public int? Pin { get; set; }

    /// <summary>How often the sensor is read.</summary>
    [Description("How often the sensor is read, 10ms to 1d.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>When true, a failure of this sensor makes the agent unhealthy (and stops the watchdog petting).</summary>
    [Description("A failure of this sensor makes the agent unhealthy (and stops the watchdog petting).")]
    public bool Critical { get; set; }

    /// <summary>Seed of the <c>simulated</c> sensor's waveforms; the same seed gives the same readings.</summary>
    [Description("simulated: seed of the waveforms; the same seed gives the same readings.")]
    public int Seed { get; set; } = 1;

    /// <summary>Simulated only: every n-th read fails (1 = every read), to try out health reporting and the watchdog gate; 0 = never.</summary>
    [Description("simulated: every n-th read fails (1: every read), to try out health reporting and the watchdog; 0: never.")]
    public int FailEvery { get; set; }

    /// <summary><c>ads1115</c>: the inputs to publish, each with its range (gain) and quantity name. Default: A0 at ±4.096 V.</summary>
    [Description("ads1115: the inputs to publish, each with its range and quantity name; empty: A0 at ±4.096 V.")]
    public List<AdcChannelOptions> Channels { get; set; } = [];

    /// <summary><c>ds18b20</c>: quantity name → 1-Wire id (e.g. <c>"temperature_tank": "28-0316a2799bff"</c>). Empty: every thermometer found.</summary>
    [Description("ds18b20: quantity name to 1-Wire id (e.g. \"temperature_tank\": \"28-0316a2799bff\"); empty: every thermometer found.")]
    public Dictionary<string, string> Probes { get; set; } = new(StringComparer.Ordinal);

    /// <summary><c>gpio-input</c>: the pin's internal resistor (none, up, down).</summary>
    [Description("gpio-input: the pin's internal resistor.")]
    public GpioPull Pull { get; set; } = GpioPull.Up;

    /// <summary><c>gpio-input</c>: edges closer than this to the last published one are contact bounce.</summary>
    [Description("gpio-input: edges closer than this to the last published one are contact bounce (0 to 10s).")]
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long one read may take before it counts as failed (a stuck bus). Default: the interval, at most 5 s.</summary>
    [Description("How long one read may take before it counts as failed (a stuck bus), 10ms to 1m; null: the interval, within 1s to 5s.")]
    public TimeSpan? Timeout { get; set; }

    /// <summary>How long the circuit breaker stays open after the sensor kept failing, before one trial read.</summary>
    [Description("How long the circuit breaker leaves a sensor that kept failing alone before one trial read, 1s to 1d.")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Calibration offsets added to a quantity's value, by quantity name (e.g. <c>"temperature": -0.4</c>).</summary>
    [Description("Calibration offsets added to a quantity's value, by quantity name (e.g. \"temperature\": -0.4).")]
    public Dictionary<string, double> Offsets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Reporting rules (deadband, heartbeat, throttle, median, average, range), applied before signing; none: every sample is published.</summary>
    [Description("Reporting rules applied before signing (deadband, heartbeat, minInterval, median, average, range); null: every sample is published.")]
    public Reporting.ReportOptions? Report { get; set; }
}
