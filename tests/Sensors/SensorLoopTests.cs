using System.Collections.Concurrent;
using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support.Hardware;
using Diode.Edge.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Diode.Edge.Tests.Sensors;

[Trait("Tier", Tiers.Unit)]
public sealed class SensorLoopTests
{
    [Fact]
    public async Task Reads_on_its_interval_applies_offsets_and_stops_cleanly()
    {
        var sink = new CollectingSink();
        var options = new SensorOptions { Type = "simulated", Name = "env", Interval = TimeSpan.FromMilliseconds(100), Offsets = { ["temperature"] = 10 } };
        var loop = new SensorLoop(options, new SensorFactory(TimeProvider.System, new EmulatedHardware()).Create, sink, TimeProvider.System, NullLogger.Instance);
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
    public async Task A_failing_sensor_opens_its_breaker_with_its_reason_and_never_throws()
    {
        var sink = new CollectingSink();
        var options = new SensorOptions { Type = "simulated", Name = "bad", Interval = TimeSpan.FromMilliseconds(100), FailEvery = 1 };
        var loop = new SensorLoop(options, new SensorFactory(TimeProvider.System, new EmulatedHardware()).Create, sink, TimeProvider.System, NullLogger.Instance);
        using var cts = new CancellationTokenSource();

        var run = loop.RunAsync(cts.Token);
        await WaitUntilAsync(() => loop.Status.State == SensorState.Open);

        // Each failed reading was tried 1 + 2 times; then the breaker opened with the last fault as the reason.
        Assert.True(loop.Status.Failures >= 2, $"failures {loop.Status.Failures}");
        Assert.True(loop.Status.Retries >= 2 * SensorPipeline.Retries, $"retries {loop.Status.Retries}");
        Assert.Equal(1, loop.Status.BreakerOpenings);
        Assert.Contains("simulated fault", loop.Status.Reason, StringComparison.Ordinal);
        Assert.Empty(sink.Readings);

        // While open, the sensor is left alone: no new failures pile up.
        long failures = loop.Status.Failures;
        await Task.Delay(500);
        Assert.Equal(failures, loop.Status.Failures);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(SensorState.Stopped, loop.Status.State);
    }

    [Fact]
    public async Task An_intermittent_fault_is_retried_at_once_and_every_reading_arrives()
    {
        var sink = new CollectingSink();
        var options = new SensorOptions { Type = "simulated", Name = "flaky", Interval = TimeSpan.FromMilliseconds(100), FailEvery = 2 };
        var loop = new SensorLoop(options, new SensorFactory(TimeProvider.System, new EmulatedHardware()).Create, sink, TimeProvider.System, NullLogger.Instance);
        using var cts = new CancellationTokenSource();

        var run = loop.RunAsync(cts.Token);
        await sink.WaitForAsync(6);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));

        // Every other device read fails; the retry hides each one, so no reading is lost and the breaker stays closed.
        Assert.True(loop.Status.Retries >= 2, $"retries {loop.Status.Retries}");
        Assert.Equal(0, loop.Status.Failures);
        Assert.Equal(0, loop.Status.BreakerOpenings);
        Assert.Contains("simulated fault", loop.Status.LastRetryReason, StringComparison.Ordinal);
        Assert.True(loop.Status.Readings >= 6);
    }

    [Fact]
    public async Task A_sensor_that_cannot_start_reports_why_and_keeps_trying_less_and_less_often()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = new SensorOptions { Type = "simulated", Name = "x", Interval = TimeSpan.FromSeconds(1) };
        int attempts = 0;
        var sink = new CollectingSink();
        var loop = new SensorLoop(
            options,
            o => ++attempts < 4 ? throw new SensorStartException("no device answers at 0x76 on bus 1") : new Diode.Edge.Sensors.Simulated.SimulatedSensor(1, time),
            sink,
            time,
            NullLogger.Instance);
        using var cts = new CancellationTokenSource();

        var run = loop.RunAsync(cts.Token);
        await WaitUntilAsync(() => loop.Status.State == SensorState.FailedToStart);
        Assert.Equal("no device answers at 0x76 on bus 1", loop.Status.Reason);
        Assert.Equal(1, attempts);

        // 5 s, then 10 s, then 20 s between attempts; the fourth attempt starts it.
        time.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Delay(100);
        Assert.Equal(1, attempts);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await WaitUntilAsync(() => attempts == 2);
        time.Advance(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => attempts == 3);
        time.Advance(TimeSpan.FromSeconds(20));
        await sink.WaitForAsync(1);
        Assert.Equal(SensorState.Ok, loop.Status.State);
        Assert.Equal(4, loop.Status.StartAttempts);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
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
