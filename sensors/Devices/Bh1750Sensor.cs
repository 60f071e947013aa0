using System.Device.I2c;
using Iot.Device.Bh1750fvi;

namespace Diode.Edge.Sensors.Devices;

/// <summary>ROHM BH1750FVI ambient light sensor through <see cref="Bh1750fvi"/>, continuous high-resolution mode (1 lx).</summary>
public sealed class Bh1750Sensor(I2cDevice device, string name, TimeProvider timeProvider) : DeviceSensor(name, timeProvider, device)
{
    private static readonly Quantity[] s_quantities = [Quantity.Illuminance];
    private Bh1750fvi? _binding;

    public static IReadOnlyList<Quantity> Publishes => s_quantities;

    public override IReadOnlyList<Quantity> Quantities => s_quantities;

    protected override string Location => I2cLocation.Of(device);

    protected override void Open() => _binding = Own(new Bh1750fvi(device, MeasuringMode.ContinuouslyHighResolutionMode));

    protected override Measurement[] Read() => [new Measurement(Quantity.Illuminance, Math.Round(_binding!.Illuminance.Lux, 2))];

}
