using System.Device.Gpio;
using Iot.Device.DHTxx;

namespace Diode.Edge.Sensors.Devices;

/// <summary>
/// Aosong DHT22/AM2302 on one GPIO pin through <see cref="Dht22"/>. The single-wire protocol is timed by the CPU, so a
/// read that comes back empty (a missed bit, a bad checksum: common on a busy Pi and on a Pi 5) is a normal outcome: it
/// is counted and skipped, not an error. Only <see cref="MaxConsecutiveMisses"/> empty reads in a row count as a fault.
/// Its checksum is a byte sum, so two misread bits can cancel out (seen under load: 63.1 %RH read as 88.7 %RH with a
/// valid checksum); a reading is therefore published only when it agrees with the previous answer within
/// <see cref="AgreeCelsius"/> and <see cref="AgreePercent"/> (a DHT22 cannot change faster than that between reads), so
/// one corrupted answer is dropped, never published.
/// </summary>
public sealed class Dht22Sensor(GpioController controller, int pin, string name, TimeProvider timeProvider)
    : DeviceSensor(name, $"GPIO{pin}", Publishes, timeProvider)
{
    public const int MaxConsecutiveMisses = 5;

    public static readonly IReadOnlyList<Quantity> Publishes = [Quantity.Temperature, Quantity.RelativeHumidity];

    /// <summary>How far two consecutive answers may differ and still both be trusted.</summary>
    public const double AgreeCelsius = 2, AgreePercent = 5;

    /// <summary>Answers closer together than this may be the binding's cached frame (it re-reads the wire at most every 500 ms).</summary>
    private static readonly TimeSpan DistinctReadsAfter = TimeSpan.FromMilliseconds(600);

    private Dht22? _binding;
    private int _misses;
    private (double Celsius, double Percent, long At)? _previous;

    protected override void Open() => _binding = Own(new Dht22(pin, controller, shouldDispose: false));

    protected override Measurement[] Read()
    {
        if (_binding!.TryReadTemperature(out var temperature) && _binding.TryReadHumidity(out var humidity))
        {
            _misses = 0;
            var answer = (Celsius: Math.Round(temperature.DegreesCelsius, 1), Percent: Math.Round(humidity.Percent, 1), At: TimeProvider.GetTimestamp());
            if (answer.Celsius is < -40 or > 80 || answer.Percent is < 0 or > 100)
            {
                _previous = null;
                return []; // outside the datasheet's measuring range: a misread, however its checksum came out
            }

            var previous = _previous;
            if (previous is { } recent && TimeProvider.GetElapsedTime(recent.At, answer.At) < DistinctReadsAfter)
            {
                return []; // the binding answers from its cache this soon: not a second opinion
            }

            _previous = answer;
            if (previous is not { } p || Math.Abs(p.Celsius - answer.Celsius) > AgreeCelsius || Math.Abs(p.Percent - answer.Percent) > AgreePercent)
            {
                return []; // unconfirmed: the first answer, or one that jumps from the last (a misread that passed the checksum)
            }

            return [new Measurement(Quantity.Temperature, answer.Celsius), new Measurement(Quantity.RelativeHumidity, answer.Percent)];
        }

        if (++_misses >= MaxConsecutiveMisses)
        {
            _misses = 0;
            throw new IOException($"no valid answer from the DHT22 on GPIO{pin} in {MaxConsecutiveMisses} reads: check the data wire, the 10 kΩ pull-up to 3V3 and the power; keep the interval at 2 s or more");
        }

        return [];
    }
}
