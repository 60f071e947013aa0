using System.Device.I2c;
using Iot.Device.Bmxx80;

namespace Diode.Edge.Sensors.Devices;

/// <summary>Bosch BME680 (temperature, humidity, pressure, gas resistance) through <see cref="Bme680"/> with the binding's default heater profile.</summary>
public sealed class Bme680Sensor(I2cDevice device, string name, TimeProvider timeProvider) : DeviceSensor(name, timeProvider, device)
{
    public static readonly Quantity GasResistance = new("gas_resistance", "Ohm");

    private static readonly Quantity[] s_quantities = [Quantity.Temperature, Quantity.RelativeHumidity, Quantity.Pressure, GasResistance];
    private Bme680? _binding;

    public static IReadOnlyList<Quantity> Publishes => s_quantities;

    public override IReadOnlyList<Quantity> Quantities => s_quantities;

    protected override string Location => I2cLocation.Of(device);

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
