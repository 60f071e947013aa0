using System.Device.I2c;
using Iot.Device.Sht3x;

namespace Diode.Edge.Sensors.Devices;

/// <summary>Sensirion SHT3x (temperature, humidity) through <see cref="Sht3x"/> at high repeatability, every measurement CRC-checked.</summary>
public sealed class Sht3xSensor(I2cDevice device, string name, TimeProvider timeProvider)
    : DeviceSensor(name, I2cLocation.Of(device), Publishes, timeProvider, device)
{
    public static readonly IReadOnlyList<Quantity> Publishes = [Quantity.Temperature, Quantity.RelativeHumidity];

    private Sht3x? _binding;

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
