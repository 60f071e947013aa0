namespace Diode.Edge.Sensors.Simulated;

/// <summary>
/// A sensor without hardware: slow sine waves with seeded noise for temperature, relative humidity and pressure.
/// Reading k of a given seed is always the same values, whatever the wall clock says, so tests and demos repeat exactly.
/// With <c>failEvery</c> it fails every n-th read, to show how a faulty sensor is reported.
/// </summary>
public sealed class SimulatedSensor(int seed, TimeProvider timeProvider, int failEvery = 0) : ISensor
{
    internal static readonly Quantity[] SimulatedQuantities = [Quantity.Temperature, Quantity.RelativeHumidity, Quantity.Pressure];

    private long _sampleIndex;

    public IReadOnlyList<Quantity> Quantities => SimulatedQuantities;

    public ValueTask<Reading> ReadAsync(CancellationToken cancellationToken)
    {
        long k = Interlocked.Increment(ref _sampleIndex) - 1;
        if (failEvery > 0 && (k + 1) % failEvery == 0)
        {
            throw new IOException($"simulated fault on read {k + 1} (failEvery: {failEvery})");
        }

        return ValueTask.FromResult(new Reading(timeProvider.GetUtcNow(), Sample(seed, k)));
    }

    /// <summary>The values of sample <paramref name="k"/> for <paramref name="seed"/>: a pure function.</summary>
    public static Measurement[] Sample(int seed, long k)
    {
        double phase = Noise(seed, 0, 0) * Math.PI;
        double temperature = 21.0 + 4.0 * Math.Sin(2 * Math.PI * k / 720.0 + phase) + 0.15 * Noise(seed, k, 1);
        double humidity = Math.Clamp(45.0 + 10.0 * Math.Sin(2 * Math.PI * k / 1080.0 - phase) + 0.5 * Noise(seed, k, 2), 0, 100);
        double pressure = 1013.25 + 6.0 * Math.Sin(2 * Math.PI * k / 4320.0 + 2 * phase) + 0.05 * Noise(seed, k, 3);
        return
        [
            new Measurement(Quantity.Temperature, Math.Round(temperature, 2)),
            new Measurement(Quantity.RelativeHumidity, Math.Round(humidity, 2)),
            new Measurement(Quantity.Pressure, Math.Round(pressure, 2)),
        ];
    }

    public void Dispose()
    {
    }

    /// <summary>Deterministic noise in [-1, 1) from SplitMix64 over (seed, sample, channel).</summary>
    private static double Noise(int seed, long k, int channel)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)k * 0xBF58476D1CE4E5B9UL + (ulong)channel * 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53)) * 2.0 - 1.0;
    }
}
