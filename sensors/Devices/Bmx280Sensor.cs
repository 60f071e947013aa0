using System.Device.I2c;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.ReadResult;

namespace Diode.Edge.Sensors.Devices;

/// <summary>
/// Bosch BME280 (temperature, humidity, pressure) through <see cref="Bme280"/> or BMP280 (no humidity) through
/// <see cref="Bmp280"/>, in forced mode with the datasheet's weather-monitoring settings (x1 oversampling, filter off).
/// </summary>
public sealed class Bmx280Sensor(I2cDevice device, bool humidity, string name, TimeProvider timeProvider)
    : DeviceSensor(name, I2cLocation.Of(device), humidity ? Bme280Quantities : Bmp280Quantities, timeProvider, device)
{
    public static readonly IReadOnlyList<Quantity> Bme280Quantities = [Quantity.Temperature, Quantity.RelativeHumidity, Quantity.Pressure];

    public static readonly IReadOnlyList<Quantity> Bmp280Quantities = [Quantity.Temperature, Quantity.Pressure];

    private Bmx280Base? _binding;

    protected override void Open()
    {
        Bmx280Base binding = humidity ? new Bme280(device) { HumiditySampling = Sampling.UltraLowPower } : new Bmp280(device);
        binding.TemperatureSampling = Sampling.UltraLowPower;
        binding.PressureSampling = Sampling.UltraLowPower;
        _binding = Own(binding);
    }

    protected override Measurement[] Read()
    {
        var result = _binding is Bme280 bme ? bme.Read() : ((Bmp280)_binding!).Read();
        if (result.Temperature is not { } t || result.Pressure is not { } p)
        {
            throw new IOException("the chip skipped a measurement (sampling off?)");
        }

        var temperature = new Measurement(Quantity.Temperature, Math.Round(t.DegreesCelsius, 2));
        var pressure = new Measurement(Quantity.Pressure, Math.Round(p.Hectopascals, 2));
        if (!humidity)
        {
            return [temperature, pressure];
        }

        if (result is not Bme280ReadResult { Humidity: { } h })
        {
            throw new IOException("the BME280 skipped the humidity measurement");
        }

        return [temperature, new Measurement(Quantity.RelativeHumidity, Math.Round(h.Percent, 2)), pressure];
    }
}
