using System.Collections.Concurrent;
using Diode.Edge.Sensors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Diode.Edge.Tests.Sensors;

public sealed class SensorLoopTests
{
    [Fact]
    public async Task Reads_on_its_interval_applies_offsets_and_stops_cleanly()
    {
        var sink = new CollectingSink();
        var options = new SensorOptions { Type = "simulated", Name = "env", Interval = TimeSpan.FromMilliseconds(100), Offsets = { ["temperature"] = 10 } };
        var loop = new SensorLoop(options, new SensorFactory(TimeProvider.System).Create, sink, TimeProvider.System, NullLogger.Instance);
        using var cts = new CancellationTokenSource();

        var run = loop.RunAsync(cts.Token);
        await sink.WaitForAsync(3);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(SensorState.Stopped, loop.Status.State);
        var first = sink.Readings.First();
        Assert.Equal(Diode.Edge.Sensors.Simulated.SimulatedSensor.Sample(1, 0)[0].Value + 10, first.Reading.Measurements[0].Value, 6);
        Assert.All(sink.Readings, r => Assert.Equal("env", r.Stream));
    }

    [Fact]
    public async Task A_failing_sensor_is_degraded_with_its_reason_and_never_throws()
    {
        var sink = new CollectingSink();
        var options = new SensorOptions { Type = "simulated", Name = "bad", Interval = TimeSpan.FromMilliseconds(100), FailEvery = 1 };
        var loop = new SensorLoop(options, new SensorFactory(TimeProvider.System).Create, sink, TimeProvider.System, NullLogger.Instance);
        using var cts = new CancellationTokenSource();

        var run = loop.RunAsync(cts.Token);
        await WaitUntilAsync(() => loop.Status.ConsecutiveFailures >= 3);

        Assert.Equal(SensorState.Degraded, loop.Status.State);
        Assert.Contains("simulated fault", loop.Status.Reason, StringComparison.Ordinal);
        Assert.Empty(sink.Readings);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_intermittent_fault_recovers_to_ok()
    {
        var sink = new CollectingSink();
        var options = new SensorOptions { Type = "simulated", Name = "flaky", Interval = TimeSpan.FromMilliseconds(100), FailEvery = 2 };
        var loop = new SensorLoop(options, new SensorFactory(TimeProvider.System).Create, sink, TimeProvider.System, NullLogger.Instance);
        using var cts = new CancellationTokenSource();

        var run = loop.RunAsync(cts.Token);
        await sink.WaitForAsync(3);
        await WaitUntilAsync(() => loop.Status.State == SensorState.Ok);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(loop.Status.Failures >= 2);
        Assert.True(loop.Status.Readings >= 3);
    }

    [Fact]
    public async Task A_sensor_that_cannot_start_reports_why()
    {
        var options = new SensorOptions { Type = "simulated", Name = "x", Interval = TimeSpan.FromSeconds(1) };
        var loop = new SensorLoop(options, _ => throw new SensorStartException("no device answers at 0x76 on bus 1"), new CollectingSink(), TimeProvider.System, NullLogger.Instance);

        await loop.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(SensorState.FailedToStart, loop.Status.State);
        Assert.Equal("no device answers at 0x76 on bus 1", loop.Status.Reason);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 10 s");
            await Task.Delay(20);
        }
    }

    private sealed class CollectingSink : IReadingSink
    {
        private readonly ConcurrentQueue<(string Stream, Reading Reading)> _readings = new();

        public IEnumerable<(string Stream, Reading Reading)> Readings => _readings;

        public void Publish(string streamId, Reading reading) => _readings.Enqueue((streamId, reading));

        public Task WaitForAsync(int count) => WaitUntilAsync(() => _readings.Count >= count);
    }
}
