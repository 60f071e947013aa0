using System.Globalization;
using Diode.Edge.Sensors.Devices;
using Diode.Edge.Sensors.Hardware;
using Diode.Edge.Sensors.Simulated;

namespace Diode.Edge.Sensors;

/// <summary>Creates the <see cref="ISensor"/> for a config entry. The one place that knows which types exist.</summary>
public sealed class SensorFactory(TimeProvider timeProvider, ISensorHardware hardware)
{
    /// <summary>The sensor types this build supports, as written in config.json.</summary>
    public static IReadOnlyList<string> KnownTypes { get; } =
        ["bme280", "bmp280", "bme680", "sht3x", "bh1750", "ads1115", "dht22", "ds18b20", "cpu-temperature", "gpio-input", "simulated"];

    /// <summary>Types on an I2C bus (they take <c>bus</c> and <c>address</c>).</summary>
    public static IReadOnlyList<string> I2cTypes { get; } = ["bme280", "bmp280", "bme680", "sht3x", "bh1750", "ads1115"];

    /// <summary>Types on a GPIO pin (they need <c>pin</c>).</summary>
    public static IReadOnlyList<string> GpioTypes { get; } = ["dht22", "gpio-input"];

    /// <summary>The I2C address a type has when config gives none: what the common breakout boards use.</summary>
    public static int DefaultAddress(string type) => type switch
    {
        "bme280" or "bmp280" or "bme680" => 0x76,
        "sht3x" => 0x44,
        "bh1750" => 0x23,
        "ads1115" => 0x48,
        _ => throw new ArgumentException($"{type} is not an I2C sensor type", nameof(type)),
    };

    /// <summary>Parses <c>"0x76"</c> (or decimal) into a 7-bit address.</summary>
    public static bool TryParseAddress(string? text, out int address)
    {
        address = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        bool parsed = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out address)
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out address);
        return parsed && address is >= 0x03 and <= 0x77;
    }

    /// <summary>The quantities a sensor of this config publishes, known before it starts (for /streams).</summary>
    public static IReadOnlyList<Quantity> QuantitiesOf(SensorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Type switch
        {
            "simulated" => SimulatedSensor.SimulatedQuantities,
            "bme280" => Bmx280Sensor.Bme280Quantities,
            "bmp280" => Bmx280Sensor.Bmp280Quantities,
            "bme680" => Bme680Sensor.Publishes,
            "sht3x" => Sht3xSensor.Publishes,
            "bh1750" => Bh1750Sensor.Publishes,
            "ads1115" => [.. Ads1115Channel.From(options.Channels).Select(c => c.Quantity)],
            "dht22" => Dht22Sensor.Publishes,
            "ds18b20" => Ds18b20Sensor.Publishes(options.Probes),
            "cpu-temperature" => CpuTemperatureSensor.Publishes,
            "gpio-input" => GpioInputSensor.Publishes,
            _ => [],
        };
    }

    /// <summary>Creates the sensor; throws <see cref="SensorStartException"/> with an actionable reason when it cannot.</summary>
    public ISensor Create(SensorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string name = options.Name ?? options.Type ?? "sensor";
        return options.Type switch
        {
            "simulated" => new SimulatedSensor(options.Seed, timeProvider, options.FailEvery),
            "bme280" => new Bmx280Sensor(OpenI2c(options), humidity: true, name, timeProvider),
            "bmp280" => new Bmx280Sensor(OpenI2c(options), humidity: false, name, timeProvider),
            "bme680" => new Bme680Sensor(OpenI2c(options), name, timeProvider),
            "sht3x" => new Sht3xSensor(OpenI2c(options), name, timeProvider),
            "bh1750" => new Bh1750Sensor(OpenI2c(options), name, timeProvider),
            "ads1115" => new Ads1115Sensor(OpenI2c(options), Ads1115Channel.From(options.Channels), name, timeProvider),
            "dht22" => new Dht22Sensor(hardware.Gpio(), RequirePin(options), name, timeProvider),
            "ds18b20" => new Ds18b20Sensor(options.Probes, name, timeProvider),
            "cpu-temperature" => new CpuTemperatureSensor(name, timeProvider),
            "gpio-input" => new GpioInputSensor(hardware.Gpio(), RequirePin(options), options.Pull, options.Debounce, timeProvider),
            _ => throw new SensorStartException($"unknown sensor type \"{options.Type}\" (known: {string.Join(", ", KnownTypes)})"),
        };
    }

    private static int RequirePin(SensorOptions options) =>
        options.Pin ?? throw new SensorStartException($"sensor {options.Name} ({options.Type}) needs a \"pin\" (BCM GPIO number)");

    private System.Device.I2c.I2cDevice OpenI2c(SensorOptions options)
    {
        int address = DefaultAddress(options.Type!);
        if (options.Address is not null && !TryParseAddress(options.Address, out address))
        {
            throw new SensorStartException($"\"{options.Address}\" is not an I2C address (0x03 to 0x77)");
        }

        return hardware.OpenI2c(options.Bus ?? 1, address);
    }
}
