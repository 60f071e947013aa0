using System.Device.Gpio;
using Iot.Device.DHTxx;

namespace Diode.Edge.Sensors.Devices;

/// <summary>
/// Aosong DHT22/AM2302 on one GPIO pin through <see cref="Dht22"/>. The single-wire protocol is timed by the CPU, so a
/// read that comes back empty (a missed bit, a bad checksum: common on a busy Pi and on a Pi 5) is a normal outcome: it
/// is counted and skipped, not an error. Only <see cref="MaxConsecutiveMisses"/> empty reads in a row count as a fault.
/// </summary>
public sealed class Dht22Sensor(GpioController controller, int pin, string name, TimeProvider timeProvider)
    : DeviceSensor(name, $"GPIO{pin}", Publishes, timeProvider)
{
    public const int MaxConsecutiveMisses = 5;

    public static readonly IReadOnlyList<Quantity> Publishes = [Quantity.Temperature, Quantity.RelativeHumidity];

    private Dht22? _binding;
    private int _misses;

    protected override void Open() => _binding = Own(new Dht22(pin, controller, shouldDispose: false));

    protected override Measurement[] Read()
    {
        if (_binding!.TryReadTemperature(out var temperature) && _binding.TryReadHumidity(out var humidity))
        {
            _misses = 0;
            return
            [
                new Measurement(Quantity.Temperature, Math.Round(temperature.DegreesCelsius, 1)),
                new Measurement(Quantity.RelativeHumidity, Math.Round(humidity.Percent, 1)),
            ];
        }

        if (++_misses >= MaxConsecutiveMisses)
        {
            _misses = 0;
            throw new IOException($"no valid answer from the DHT22 on GPIO{pin} in {MaxConsecutiveMisses} reads: check the data wire, the 10 kΩ pull-up to 3V3 and the power; keep the interval at 2 s or more");
        }

        return [];
    }
}
