using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Sensors;
using Diode.Edge.Sensors.Reporting;
using Diode.Edge.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Diode.Edge.Tests.Sensors.Reporting;

/// <summary>
/// Each reporting rule on its own and together: a golden sequence of samples (seconds since start, value) goes in, and
/// exactly the frames expected come out (their time and value), timed by a fake clock so nothing waits.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed class ReportingRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Without_rules_every_sample_is_published_as_it_is()
    {
        var frames = Run(null, (0, 21.0), (10, 21.0), (20, 21.05));

        Assert.Equal([(0, 21.0), (10, 21.0), (20, 21.05)], frames);
    }

    [Fact]
    public void An_absolute_deadband_publishes_only_a_change_at_least_that_large_from_the_last_published_value()
    {
        var frames = Run(new ReportOptions { Deadband = "0.2" }, (0, 21.0), (10, 21.1), (20, 21.19), (30, 21.2), (40, 21.25), (50, 21.0), (60, 20.99), (70, 20.79));

        // 21.2 − 21.0 is 0.1999999… in binary: it still counts as the 0.2 asked for. Drift never adds up unnoticed:
        // each change is measured from the last published value, not the last sample.
        Assert.Equal([(0, 21.0), (30, 21.2), (50, 21.0), (70, 20.79)], frames);
    }

    [Fact]
    public void A_percent_deadband_is_relative_to_the_last_published_value()
    {
        var frames = Run(new ReportOptions { Deadband = "10%" }, (0, 100.0), (10, 105.0), (20, 109.9), (30, 110.0), (40, 99.5), (50, 98.9));

        Assert.Equal([(0, 100.0), (30, 110.0), (50, 98.9)], frames);
    }

    [Fact]
    public void A_heartbeat_alone_publishes_a_change_at_once_and_an_unchanged_value_when_it_is_due()
    {
        var frames = Run(new ReportOptions { Heartbeat = TimeSpan.FromMinutes(1) }, (0, 5.0), (10, 5.0), (20, 5.0), (50, 5.0), (60, 5.0), (70, 6.0), (80, 6.0), (130, 6.0));

        Assert.Equal([(0, 5.0), (60, 5.0), (70, 6.0), (130, 6.0)], frames);
    }

    [Fact]
    public void MinInterval_throttles_however_much_the_value_changes()
    {
        var frames = Run(new ReportOptions { MinInterval = TimeSpan.FromSeconds(30) }, (0, 1.0), (10, 2.0), (20, 3.0), (30, 4.0), (40, 5.0), (50, 6.0), (60, 7.0));

        Assert.Equal([(0, 1.0), (30, 4.0), (60, 7.0)], frames);
    }

    [Fact]
    public void A_median_of_three_removes_a_one_sample_spike()
    {
        var frames = Run(new ReportOptions { Median = 3 }, (0, 10.0), (10, 10.0), (20, 100.0), (30, 10.0), (40, 11.0), (50, 12.0));

        Assert.Equal([(0, 10.0), (10, 10.0), (20, 10.0), (30, 10.0), (40, 11.0), (50, 11.0)], frames);
    }

    [Fact]
    public void A_moving_average_is_over_the_last_N_samples()
    {
        var frames = Run(new ReportOptions { Average = new AverageOptions { Samples = 3 } }, (0, 1.0), (10, 2.0), (20, 3.0), (30, 4.0), (40, 8.0));

        Assert.Equal([(0, 1.0), (10, 1.5), (20, 2.0), (30, 3.0), (40, 5.0)], frames);
    }

    [Fact]
    public void An_exponential_average_weighs_each_new_sample_by_alpha()
    {
        var frames = Run(new ReportOptions { Average = new AverageOptions { Alpha = 0.5 } }, (0, 10.0), (10, 20.0), (20, 20.0), (30, 0.0));

        Assert.Equal([(0, 10.0), (10, 15.0), (20, 17.5), (30, 8.75)], frames);
    }

    [Fact]
    public void A_range_drops_an_impossible_DHT22_humidity_and_counts_it_by_quantity()
    {
        var time = new FakeTimeProvider(Start);
        var filter = new ReportingFilter(new ReportOptions { Quantities = { ["relative_humidity"] = new ReportRules { Range = new RangeOptions { Min = 0, Max = 100 } } } }, time);

        // The reported case: a DHT22 answered 3304 %RH with a valid checksum. And a NaN, which no range admits.
        var published = new List<Reading?>
        {
            filter.Apply(Dht22(21.0, 40.0)),
            filter.Apply(Dht22(21.1, 3304.0)),
            filter.Apply(Dht22(21.1, double.NaN)),
            filter.Apply(Dht22(21.2, 41.0)),
        };

        Assert.Equal([true, false, false, true], published.Select(r => r is not null));
        Assert.Equal(41.0, published[3]!.Measurements[1].Value);
        Assert.Equal(2, filter.OutOfRange);
        Assert.Equal(4, filter.Samples);
        Assert.Equal(2, filter.Published);
        Assert.Equal(
            [new KeyValuePair<string, long>("temperature", 0), new KeyValuePair<string, long>("relative_humidity", 2)],
            filter.OutOfRangeByQuantity());
    }

    [Fact]
    public void Every_10_s_publish_on_a_change_of_0_2_or_every_5_minutes()
    {
        // The example in docs/sensors.md: a sensor read every 10 s, "deadband": 0.2, "heartbeat": "5m".
        var samples = new List<(double, double)>();
        for (int t = 0; t <= 600; t += 10)
        {
            samples.Add((t, t switch { < 300 => 20.0 + (t % 20 == 0 ? 0.05 : -0.05), 300 => 20.1, 310 => 20.35, _ => 20.4 }));
        }

        var frames = Run(new ReportOptions { Deadband = "0.2", Heartbeat = TimeSpan.FromMinutes(5) }, [.. samples]);

        // t=0 first; t=300 the heartbeat (20.1 is only 0.05 away); t=310 a change of 0.25; t=610 would be the next heartbeat.
        Assert.Equal([(0, 20.05), (300, 20.1), (310, 20.35)], frames);
    }

    [Fact]
    public void Range_median_deadband_heartbeat_and_minInterval_combined_give_exactly_these_frames()
    {
        var options = new ReportOptions
        {
            Range = new RangeOptions { Min = -40, Max = 80 },
            Median = 3,
            Deadband = "0.2",
            Heartbeat = TimeSpan.FromSeconds(60),
            MinInterval = TimeSpan.FromSeconds(20),
        };
        var time = new FakeTimeProvider(Start);
        var filter = new ReportingFilter(options, time);
        var hub = new StreamHub(new HubOptions(), time, () => new FrameEncoder(clockSynchronized: () => true));
        var stream = hub.Register(new StreamDescriptor("env", "dht22", [Quantity.Temperature], TimeSpan.FromSeconds(10)));
        (int T, double V)[] samples = [(0, 20.0), (10, 20.1), (20, 85.0), (30, 20.5), (40, 20.6), (50, 20.6), (60, 20.6), (70, 20.6), (80, 20.6), (90, 20.6), (100, 20.6)];

        foreach (var (t, v) in samples)
        {
            time.SetUtcNow(Start.AddSeconds(t));
            if (filter.Apply(new Reading(time.GetUtcNow(), [new Measurement(Quantity.Temperature, v)])) is { } reading)
            {
                stream.Publish(reading);
            }
        }

        // t=0: first. t=10: throttled. t=20: 85 °C is out of range, dropped. t=30: median 20.1, only 0.1 from 20.0.
        // t=40: median 20.5, a change of 0.5. t=50: throttled. t=60–90: median 20.6, 0.1 away, heartbeat not due.
        // t=100: the heartbeat, 60 s after the last frame.
        long epoch = Start.ToUnixTimeMilliseconds();
        Assert.Equal(
            [
                $$$"""{"v":1,"stream":"env","epoch":{{{epoch}}},"seq":1,"ts":"2026-12-07T06:00:00.000Z","clock":"synced","values":{"temperature":20},"units":{"temperature":"Cel"}}""",
                $$$"""{"v":1,"stream":"env","epoch":{{{epoch}}},"seq":2,"ts":"2026-12-07T06:00:40.000Z","clock":"synced","values":{"temperature":20.5},"units":{"temperature":"Cel"}}""",
                $$$"""{"v":1,"stream":"env","epoch":{{{epoch}}},"seq":3,"ts":"2026-12-07T06:01:40.000Z","clock":"synced","values":{"temperature":20.6},"units":{"temperature":"Cel"}}""",
            ],
            stream.FramesAfter(null, 100).Select(f => System.Text.Encoding.UTF8.GetString(f.Payload.Span)));
        Assert.Equal((11, 3, 7, 1), (filter.Samples, filter.Published, filter.Suppressed, filter.OutOfRange));
    }

    [Fact]
    public void A_quantity_s_own_rules_override_the_stream_s_and_a_frame_carries_every_quantity()
    {
        var options = new ReportOptions
        {
            Deadband = "0.2",
            Quantities = { ["relative_humidity"] = new ReportRules { Deadband = "2" } },
        };
        var time = new FakeTimeProvider(Start);
        var filter = new ReportingFilter(options, time);
        (double T, double H)[] samples = [(21.0, 40.0), (21.1, 41.0), (21.1, 42.5), (21.3, 42.5), (21.3, 42.0)];

        var frames = samples.Select(s => filter.Apply(Dht22(s.T, s.H))).Where(r => r is not null).Select(r => (r!.Measurements[0].Value, r.Measurements[1].Value));

        // The humidity's own deadband is 2 (%RH), the temperature's the stream's 0.2 (°C).
        Assert.Equal([(21.0, 40.0), (21.1, 42.5), (21.3, 42.5)], frames);
    }

    [Fact]
    public void Deciding_on_a_sample_allocates_nothing()
    {
        // The system's clock: FakeTimeProvider itself allocates when read (it wakes its waiters).
        var filter = new ReportingFilter(new ReportOptions { Range = new RangeOptions { Min = -40, Max = 80 }, Median = 5, Deadband = "0.2", Heartbeat = TimeSpan.FromMinutes(5), MinInterval = TimeSpan.FromSeconds(1) }, TimeProvider.System);
        var readings = Enumerable.Range(0, 1000).Select(i => new Reading(Start.AddSeconds(i), [new Measurement(Quantity.Temperature, 20.0)])).ToArray();
        filter.Apply(readings[0]);

        long allocated = 0;
        int published = 0;
        for (int i = 1; i < readings.Length; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            published += filter.Apply(readings[i]) is null ? 0 : 1;
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, published);
        Assert.Equal(0, allocated);
    }

    private static Reading Dht22(double temperature, double humidity) =>
        new(Start, [new Measurement(Quantity.Temperature, temperature), new Measurement(Quantity.RelativeHumidity, humidity)]);

    /// <summary>Feeds the samples (seconds, value) through the rules on a fake clock; returns the published ones.</summary>
    private static List<(int, double)> Run(ReportOptions? options, params (double Seconds, double Value)[] samples)
    {
        var time = new FakeTimeProvider(Start);
        var filter = new ReportingFilter(options, time);
        var frames = new List<(int, double)>();
        foreach (var (seconds, value) in samples)
        {
            time.SetUtcNow(Start.AddSeconds(seconds));
            if (filter.Apply(new Reading(time.GetUtcNow(), [new Measurement(Quantity.Temperature, value)])) is { } reading)
            {
                frames.Add(((int)(reading.Timestamp - Start).TotalSeconds, reading.Measurements[0].Value));
            }
        }

        Assert.Equal(samples.Length, filter.Samples);
        Assert.Equal(frames.Count, filter.Published);
        return frames;
    }
}
