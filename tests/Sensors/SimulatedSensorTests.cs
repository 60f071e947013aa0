using Diode.Edge.Sensors;
using Diode.Edge.Sensors.Simulated;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Sensors;

[Trait("Tier", Tiers.Unit)]
public sealed class SimulatedSensorTests
{
    [Fact]
    public async Task The_same_seed_gives_the_same_readings_whatever_the_time()
    {
        using var a = new SimulatedSensor(7, TimeProvider.System);
        using var b = new SimulatedSensor(7, new ShiftedTimeProvider(TimeSpan.FromDays(400)));

        for (int i = 0; i < 50; i++)
        {
            var ra = await a.ReadAsync(CancellationToken.None);
            var rb = await b.ReadAsync(CancellationToken.None);
            Assert.Equal(ra.Measurements, rb.Measurements);
        }
    }

    [Fact]
    public void Different_seeds_give_different_waveforms()
    {
        var one = Enumerable.Range(0, 20).SelectMany(k => SimulatedSensor.Sample(1, k)).ToList();
        var two = Enumerable.Range(0, 20).SelectMany(k => SimulatedSensor.Sample(2, k)).ToList();

        Assert.NotEqual(one, two);
    }

    [Fact]
    public void Values_are_plausible_and_carry_the_contract_units()
    {
        for (int k = 0; k < 5000; k += 7)
        {
            var m = SimulatedSensor.Sample(3, k);
            Assert.Equal(["temperature", "relative_humidity", "pressure"], m.Select(x => x.Quantity.Name));
            Assert.Equal(["Cel", "%", "hPa"], m.Select(x => x.Quantity.Unit));
            Assert.InRange(m[0].Value, 16.5, 25.5);
            Assert.InRange(m[1].Value, 0, 100);
            Assert.InRange(m[2].Value, 1007, 1019.5);
        }
    }

    [Fact]
    public void Consecutive_samples_change_smoothly()
    {
        for (int k = 0; k < 1000; k++)
        {
            Assert.InRange(Math.Abs(SimulatedSensor.Sample(1, k + 1)[0].Value - SimulatedSensor.Sample(1, k)[0].Value), 0, 0.5);
        }
    }

    [Fact]
    public async Task FailEvery_fails_exactly_every_nth_read()
    {
        using var sensor = new SimulatedSensor(1, TimeProvider.System, failEvery: 3);
        var outcomes = new List<bool>();
        for (int i = 0; i < 9; i++)
        {
            try
            {
                await sensor.ReadAsync(CancellationToken.None);
                outcomes.Add(true);
            }
            catch (IOException)
            {
                outcomes.Add(false);
            }
        }

        Assert.Equal([true, true, false, true, true, false, true, true, false], outcomes);
    }

    private sealed class ShiftedTimeProvider(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
