using Iot.Device.CpuTemperature;

namespace Diode.Edge.Sensors.Devices;

/// <summary>The SoC temperature through <see cref="CpuTemperature"/> (<c>/sys/class/thermal/thermal_zone0/temp</c> on Linux).</summary>
public sealed class CpuTemperatureSensor(string name, TimeProvider timeProvider) : DeviceSensor(name, timeProvider)
{
    private static readonly Quantity[] s_quantities = [Quantity.Temperature];
    private CpuTemperature? _binding;

    public static IReadOnlyList<Quantity> Publishes => s_quantities;

    public override IReadOnlyList<Quantity> Quantities => s_quantities;

    protected override string Location => "/sys/class/thermal/thermal_zone0";

    protected override void Open()
    {
        var binding = Own(new CpuTemperature());
        if (!binding.IsAvailable)
        {
            throw new SensorStartException("this machine has no SoC temperature (/sys/class/thermal/thermal_zone0/temp is missing); on a Raspberry Pi it is always there");
        }

        _binding = binding;
    }

    protected override Measurement[] Read() => [new Measurement(Quantity.Temperature, Math.Round(_binding!.Temperature.DegreesCelsius, 3))];
}
