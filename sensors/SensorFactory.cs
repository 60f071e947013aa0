using System.Globalization;
using Diode.Edge.Sensors.Hardware;

namespace Diode.Edge.Sensors;

/// <summary>Creates the <see cref="ISensor"/> for a config entry, from the type's <see cref="SensorDescriptor"/> in <see cref="SensorCatalog"/>.</summary>
public sealed class SensorFactory(TimeProvider timeProvider, ISensorHardware hardware)
{
    /// <summary>The sensor types this build supports, as written in config.json.</summary>
    public static IReadOnlyList<string> KnownTypes => SensorCatalog.Types;

    /// <summary>Types on an I2C bus (they take <c>bus</c> and <c>address</c>).</summary>
    public static IReadOnlyList<string> I2cTypes { get; } = SensorCatalog.TypesOn(SensorBus.I2c);

    /// <summary>Types on a GPIO pin (they need <c>pin</c>).</summary>
    public static IReadOnlyList<string> GpioTypes { get; } = SensorCatalog.TypesOn(SensorBus.Gpio);

    /// <summary>The I2C address a type has when config gives none: what the common breakout boards use.</summary>
    public static int DefaultAddress(string type) =>
        SensorCatalog.Find(type)?.DefaultAddress ?? throw new ArgumentException($"{type} is not an I2C sensor type", nameof(type));

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
        return SensorCatalog.Find(options.Type)?.Quantities(options) ?? [];
    }

    /// <summary>Creates the sensor; throws <see cref="SensorStartException"/> with an actionable reason when it cannot.</summary>
    public ISensor Create(SensorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var descriptor = SensorCatalog.Find(options.Type)
            ?? throw new SensorStartException($"unknown sensor type \"{options.Type}\" (known: {string.Join(", ", KnownTypes)})");
        return descriptor.Create(new SensorContext(descriptor, options, timeProvider, hardware));
    }
}
