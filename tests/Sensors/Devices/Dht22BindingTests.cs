using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support;
using Diode.Edge.Tests.Support.Hardware;
using Microsoft.Extensions.Logging.Abstractions;

namespace Diode.Edge.Tests.Sensors.Devices;

/// <summary>
/// A DHT22 through the real binding on an emulated GPIO chip, read by its sensor loop. Integration, not Unit, although
/// it is in-process: the binding times the single-wire protocol's microsecond pulses with the real clock and answers
/// from its cache for 500 ms, so a published reading needs two agreeing answers at least 600 ms apart, and on a loaded
/// machine many reads miss (counted, as on a busy Pi): each test waits on real time, 3 to 10 s here.
/// </summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Integration)]
public sealed class Dht22BindingTests
{
    [Fact]
    public async Task Dht22_reads_through_the_binding_over_the_timed_single_wire_protocol()
    {
        var (dht, sink, loop) = ShedDht22();
        using var cts = new CancellationTokenSource();
        var run = loop.RunAsync(cts.Token);

        // Bits are told apart by the length of their high pulse (27 µs vs 70 µs, the binding's threshold is 30 µs),
        // timed by the binding itself: on a loaded machine many reads miss (measured here: every read alone, a quarter
        // with the whole suite running), which is counted, not failed, exactly as on a busy Pi.
        await sink.WaitForAsync(3, TimeSpan.FromSeconds(60));
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.All(sink.Readings, r =>
        {
            Assert.Equal(-7.3, r.Measurements.Single(m => m.Quantity.Name == "temperature").Value, 6);
            Assert.Equal(63.1, r.Measurements.Single(m => m.Quantity.Name == "relative_humidity").Value, 6);
        });
        Assert.True(dht.Answers >= 3);
        Assert.Equal(0, loop.Status.Failures);
    }

    [Fact]
    public async Task A_dht22_answer_that_passes_the_weak_checksum_but_jumps_is_never_published()
    {
        var (dht, sink, loop) = ShedDht22();
        using var cts = new CancellationTokenSource();
        var run = loop.RunAsync(cts.Token);
        await sink.WaitForAsync(1, TimeSpan.FromSeconds(60));

        // Bit 8 of the humidity and bit 0 of the checksum flipped: 88.7 %RH with a checksum that adds up.
        byte[] corrupted = Dht22Line.Frame(-7.3, 63.1);
        corrupted[0] |= 0x01;
        corrupted[4] += 1;
        Assert.Equal(Dht22Line.Frame(-7.3, 88.7), corrupted);
        int answered = dht.Answers;
        dht.NextFrame = corrupted;
        await sink.WaitForAsync(sink.Count + 2, TimeSpan.FromSeconds(60));
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(dht.NextFrame is null && dht.Answers > answered, "the corrupted frame was not sent");
        Assert.All(sink.Readings, r => Assert.Equal(63.1, r.Measurements.Single(m => m.Quantity.Name == "relative_humidity").Value, 6));
        Assert.Equal(0, loop.Status.Failures);
    }

    /// <summary>A DHT22 on emulated GPIO4 answering -7.3 °C and 63.1 %RH, and its sensor loop (700 ms interval) into a sink.</summary>
    private static (Dht22Line Dht, CollectingSink Sink, SensorLoop Loop) ShedDht22()
    {
        var hardware = new EmulatedHardware();
        var dht = hardware.GpioDriver.AttachDht22(4);
        dht.Temperature = -7.3;
        dht.Humidity = 63.1;
        var sink = new CollectingSink();
        var options = new SensorOptions { Type = "dht22", Name = "shed", Pin = 4, Interval = TimeSpan.FromMilliseconds(700), Timeout = TimeSpan.FromSeconds(2) };
        return (dht, sink, new SensorLoop(options, new SensorFactory(TimeProvider.System, hardware).Create, sink, TimeProvider.System, NullLogger.Instance));
    }
}
