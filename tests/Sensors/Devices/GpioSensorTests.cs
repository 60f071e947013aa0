using System.Device.Gpio;
using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support;
using Diode.Edge.Tests.Support.Hardware;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Diode.Edge.Tests.Sensors.Devices;

/// <summary>The GPIO sensor types through System.Device.Gpio and the DHT binding, on an emulated GPIO chip (the DHT22 readings that wait on the binding's real timing: <see cref="Dht22BindingTests"/>).</summary>
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
}
