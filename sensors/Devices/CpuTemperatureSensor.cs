using Iot.Device.CpuTemperature;

namespace Diode.Edge.Sensors.Devices;

/// <summary>The SoC temperature through <see cref="CpuTemperature"/> (<c>/sys/class/thermal/thermal_zone0/temp</c> on Linux).</summary>
public sealed class CpuTemperatureSensor(string name, TimeProvider timeProvider)
    : DeviceSensor(name, "/sys/class/thermal/thermal_zone0", Publishes, timeProvider)
{
    public static readonly IReadOnlyList<Quantity> Publishes = [Quantity.Temperature];

    private CpuTemperature? _binding;

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
