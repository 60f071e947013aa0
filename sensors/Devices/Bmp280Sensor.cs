using System.Device.I2c;
using Iot.Device.Bmxx80;

namespace Diode.Edge.Sensors.Devices;

/// <summary>Bosch BMP280 (temperature, pressure) through <see cref="Bmp280"/>, in forced mode with the datasheet's weather-monitoring settings.</summary>
public sealed class Bmp280Sensor(I2cDevice device, string name, TimeProvider timeProvider) : DeviceSensor(name, timeProvider, device)
{
    private static readonly Quantity[] s_quantities = [Quantity.Temperature, Quantity.Pressure];
    private Bmp280? _binding;

    public static IReadOnlyList<Quantity> Publishes => s_quantities;

    public override IReadOnlyList<Quantity> Quantities => s_quantities;

    protected override string Location => I2cLocation.Of(device);

    protected override void Open()
    {
        _binding = Own(new Bmp280(device)
        {
            TemperatureSampling = Sampling.UltraLowPower,
            PressureSampling = Sampling.UltraLowPower,
        });
    }

    protected override Measurement[] Read()
    {
        var result = _binding!.Read();
        if (result.Temperature is not { } t || result.Pressure is not { } p)
        {
            throw new IOException("the BMP280 skipped a measurement (sampling off?)");
        }

        return
        [
            new Measurement(Quantity.Temperature, Math.Round(t.DegreesCelsius, 2)),
            new Measurement(Quantity.Pressure, Math.Round(p.Hectopascals, 2)),
        ];
    }
}
