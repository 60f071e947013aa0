using System.Device.I2c;
using Iot.Device.Bmxx80;

namespace Diode.Edge.Sensors.Devices;

/// <summary>Bosch BME680 (temperature, humidity, pressure, gas resistance) through <see cref="Bme680"/> with the binding's default heater profile.</summary>
public sealed class Bme680Sensor(I2cDevice device, string name, TimeProvider timeProvider)
    : DeviceSensor(name, I2cLocation.Of(device), Publishes, timeProvider, device)
{
    public static readonly Quantity GasResistance = new("gas_resistance", "Ohm");

    public static readonly IReadOnlyList<Quantity> Publishes = [Quantity.Temperature, Quantity.RelativeHumidity, Quantity.Pressure, GasResistance];

    private Bme680? _binding;

    protected override void Open() => _binding = Own(new Bme680(device));

    protected override Measurement[] Read()
    {
        var result = _binding!.Read();
        if (result.Temperature is not { } t || result.Pressure is not { } p || result.Humidity is not { } h)
        {
            throw new IOException("the BME680 skipped a measurement");
        }

        var values = new List<Measurement>(4)
        {
            new(Quantity.Temperature, Math.Round(t.DegreesCelsius, 2)),
            new(Quantity.RelativeHumidity, Math.Round(h.Percent, 2)),
            new(Quantity.Pressure, Math.Round(p.Hectopascals, 2)),
        };

        // No gas value while the heater has not reached its temperature: publish the rest.
        if (result.GasResistance is { } gas)
        {
            values.Add(new Measurement(GasResistance, Math.Round(gas.Ohms, 0)));
        }

        return [.. values];
    }
}
