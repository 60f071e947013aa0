using System.Text.RegularExpressions;

namespace Diode.Edge.Sensors.Devices;

/// <summary>The <c>ds18b20</c> type: DS18B20 thermometers on the kernel's 1-Wire bus, read by <see cref="Ds18b20Sensor"/>.</summary>
internal static partial class Ds18b20Descriptor
{
    public static SensorDescriptor Instance { get; } = new()
    {
        Type = "ds18b20",
        Bus = SensorBus.OneWire,
        Quantities = options => Ds18b20Sensor.Publishes(options.Probes),
        Create = c => new Ds18b20Sensor(c.Options.Probes, c.Name, c.Time),
        Keys = ["probes"],
        Rules = Check,
    };

    /// <summary>Each probe: a quantity name and a DS18B20 1-Wire id.</summary>
    private static void Check(SensorOptions sensor, SensorOptionsProblems problems)
    {
        foreach (var (quantity, id) in sensor.Probes)
        {
            if (!QuantityName.IsValid(quantity))
            {
                problems.Error($"probes:{quantity}", $"\"{quantity}\" is not a quantity name (snake_case, e.g. \"temperature_tank\")");
            }

            if (!OneWireIdPattern().IsMatch(id))
            {
                problems.Error($"probes:{quantity}", $"\"{id}\" is not a DS18B20 1-Wire id (28-xxxxxxxxxxxx, as listed in /sys/bus/w1/devices)");
            }
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{2}-[0-9a-fA-F]{12}$")]
    private static partial Regex OneWireIdPattern();
}
