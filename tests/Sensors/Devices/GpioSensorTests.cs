using System.Collections.Concurrent;
using System.Device.Gpio;
using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support;
using Diode.Edge.Tests.Support.Hardware;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Diode.Edge.Tests.Sensors.Devices;

/// <summary>The GPIO sensor types through System.Device.Gpio and the DHT binding, on an emulated GPIO chip.</summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Unit)]
public sealed class GpioSensorTests
{
    [Fact]
    public async Task Gpio_input_publishes_each_debounced_edge_at_once_with_the_edge_time()
    {
        var start = DateTimeOffset.Parse("2026-11-25T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var time = new FakeTimeProvider(start);
        var hardware = new EmulatedHardware();
        var sink = new CollectingSink();
        var options = new SensorOptions { Type = "gpio-input", Name = "door", Pin = 17, Pull = GpioPull.Up, Debounce = TimeSpan.FromMilliseconds(50), Interval = TimeSpan.FromHours(1) };
        var loop = new SensorLoop(options, new SensorFactory(time, hardware).Create, sink, time, NullLogger.Instance);
        using var cts = new CancellationTokenSource();
        var run = loop.RunAsync(cts.Token);

        // The first reading is the level at start: pulled up.
        await sink.WaitForAsync(1);
        Assert.Equal((start, 1.0), sink.Last);
        Assert.True(hardware.GpioDriver.IsOpen(17));

        // A press: published at once (no time passes), stamped with the edge's time.
        time.Advance(TimeSpan.FromSeconds(2));
        var pressedAt = time.GetUtcNow();
        hardware.GpioDriver.Drive(17, PinValue.Low);
        await sink.WaitForAsync(2);
        Assert.Equal((pressedAt, 0.0), sink.Last);

        // Contact bounce within the debounce time is not published; it settled on the published level.
        time.Advance(TimeSpan.FromMilliseconds(5));
        hardware.GpioDriver.Drive(17, PinValue.High);
        time.Advance(TimeSpan.FromMilliseconds(5));
        hardware.GpioDriver.Drive(17, PinValue.Low);
        time.Advance(TimeSpan.FromMilliseconds(100));
        await Task.Delay(200);
        Assert.Equal(2, sink.Count);

        // A release that bounces and settles high: the first edge at once, nothing for the bounce.
        time.Advance(TimeSpan.FromSeconds(1));
        var releasedAt = time.GetUtcNow();
        hardware.GpioDriver.Drive(17, PinValue.High);
        await sink.WaitForAsync(3);
        Assert.Equal((releasedAt, 1.0), sink.Last);
        time.Advance(TimeSpan.FromMilliseconds(3));
        hardware.GpioDriver.Drive(17, PinValue.Low);
        time.Advance(TimeSpan.FromMilliseconds(3));
        hardware.GpioDriver.Drive(17, PinValue.High);
        time.Advance(TimeSpan.FromMilliseconds(100));
        await Task.Delay(200);
        Assert.Equal(3, sink.Count);

        // A bounce that settles on the other level: the settled level follows when the debounce time is over.
        time.Advance(TimeSpan.FromSeconds(1));
        hardware.GpioDriver.Drive(17, PinValue.Low);
        await sink.WaitForAsync(4);
        time.Advance(TimeSpan.FromMilliseconds(10));
        hardware.GpioDriver.Drive(17, PinValue.High);
        var settledAt = time.GetUtcNow() + TimeSpan.FromMilliseconds(40);
        time.Advance(TimeSpan.FromMilliseconds(40));
        await sink.WaitForAsync(5);
        Assert.Equal((settledAt, 1.0), sink.Last);

        Assert.All(sink.Readings, r => Assert.Equal(["state"], r.Measurements.Select(m => m.Quantity.Name)));
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(hardware.GpioDriver.IsOpen(17));
    }

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

    [Fact]
    public async Task A_silent_dht22_is_missed_a_few_times_then_reported_with_what_to_check()
    {
        var hardware = new EmulatedHardware();
        var dht = hardware.GpioDriver.AttachDht22(4);
        dht.Silent = true;
        using var sensor = new SensorFactory(TimeProvider.System, hardware).Create(new SensorOptions { Type = "dht22", Name = "shed", Pin = 4 });
        await sensor.StartAsync(CancellationToken.None);

        for (int i = 1; i < Diode.Edge.Sensors.Devices.Dht22Sensor.MaxConsecutiveMisses; i++)
        {
            Assert.Empty((await sensor.ReadAsync(CancellationToken.None)).Measurements);
            await Task.Delay(550);
        }

        var error = await Assert.ThrowsAsync<IOException>(async () => await sensor.ReadAsync(CancellationToken.None));
        Assert.Contains("no valid answer from the DHT22 on GPIO4 in 5 reads", error.Message, StringComparison.Ordinal);
        Assert.Contains("pull-up", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, dht.Answers);
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

    private sealed class CollectingSink : IReadingSink
    {
        private readonly ConcurrentQueue<Reading> _readings = new();

        public IReadOnlyCollection<Reading> Readings => _readings;

        public int Count => _readings.Count;

        public (DateTimeOffset, double) Last => (_readings.Last().Timestamp, _readings.Last().Measurements[0].Value);

        public void Publish(string streamId, Reading reading) => _readings.Enqueue(reading);

        public async Task WaitForAsync(int count, TimeSpan? within = null)
        {
            var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
            while (_readings.Count < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{_readings.Count} of {count} readings");
                await Task.Delay(10);
            }
        }
    }
}
