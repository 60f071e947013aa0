using System.Device.I2c;
using Iot.Device.Bh1750fvi;

namespace Diode.Edge.Sensors.Devices;

/// <summary>ROHM BH1750FVI ambient light sensor through <see cref="Bh1750fvi"/>, continuous high-resolution mode (1 lx).</summary>
public sealed class Bh1750Sensor(I2cDevice device, string name, TimeProvider timeProvider)
    : DeviceSensor(name, I2cLocation.Of(device), Publishes, timeProvider, device)
{
    public static readonly IReadOnlyList<Quantity> Publishes = [Quantity.Illuminance];

    private Bh1750fvi? _binding;

    protected override void Open() => _binding = Own(new Bh1750fvi(device, MeasuringMode.ContinuouslyHighResolutionMode));

    protected override Measurement[] Read() => [new Measurement(Quantity.Illuminance, Math.Round(_binding!.Illuminance.Lux, 2))];

}
