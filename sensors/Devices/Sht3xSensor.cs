using System.Device.I2c;
using Iot.Device.Sht3x;

namespace Diode.Edge.Sensors.Devices;

/// <summary>Sensirion SHT3x (temperature, humidity) through <see cref="Sht3x"/> at high repeatability, every measurement CRC-checked.</summary>
public sealed class Sht3xSensor(I2cDevice device, string name, TimeProvider timeProvider) : DeviceSensor(name, timeProvider, device)
{
    private static readonly Quantity[] s_quantities = [Quantity.Temperature, Quantity.RelativeHumidity];
    private Sht3x? _binding;

    public static IReadOnlyList<Quantity> Publishes => s_quantities;

    public override IReadOnlyList<Quantity> Quantities => s_quantities;

    protected override string Location => I2cLocation.Of(device);

    protected override void Open() => _binding = Own(new Sht3x(new Sht3xCrcGuard(device), Resolution.High));

    protected override Measurement[] Read()
    {
        double temperature = _binding!.Temperature.DegreesCelsius;
        double humidity = _binding.Humidity.Percent;
        return
        [
            new Measurement(Quantity.Temperature, temperature),
            new Measurement(Quantity.RelativeHumidity, humidity),
        ];
    }
}
