using Diode.Edge.Agent.Clock;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Agent.Streams;
using Prometheus;

namespace Diode.Edge.Agent.Metrics;

/// <summary>Per-stream and per-sensor metrics, copied from the hub's and the sensor loops' own counters at scrape time.</summary>
internal sealed class StreamMetrics : IMetricSet
{
    public StreamMetrics(AgentMetrics metrics, StreamHub hub, SensorsHostedService sensors, ClockMonitor clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(sensors);
        var f = metrics.Factory;
        var published = f.CreateCounter("diode_edge_frames_published_total", "Frames signed and published, per stream.", ["stream"]);
        var dropped = f.CreateCounter("diode_edge_frames_dropped_slow_consumer_total", "Frames dropped from the queues of consumers that fell behind, per stream.", ["stream"]);
        var consumers = f.CreateGauge("diode_edge_consumers", "Connected consumers, per stream.", ["stream"]);
        var delivered = f.CreateCounter("diode_edge_frames_delivered_total", "Frames written to consumers, per stream.", ["stream"]);
        var slowDisconnects = f.CreateCounter("diode_edge_slow_consumer_disconnects_total", "Consumers cut off for falling a whole queue behind (hub.slowConsumer: disconnect), per stream.", ["stream"]);
        var queued = f.CreateGauge("diode_edge_consumer_queue_frames", "Frames waiting in consumers' queues, per stream.", ["stream"]);
        var longest = f.CreateGauge("diode_edge_consumer_queue_longest_frames", "The longest consumer queue, per stream.", ["stream"]);
        var readings = f.CreateCounter("diode_edge_sensor_readings_total", "Successful sensor reads, per sensor.", ["stream"]);
        var failures = f.CreateCounter("diode_edge_sensor_failures_total", "Failed sensor reads, per sensor.", ["stream"]);
        var state = f.CreateGauge("diode_edge_sensor_ok", "1 while the sensor reads normally, 0 otherwise.", ["stream"]);
        var retries = f.CreateCounter("diode_edge_sensor_retries_total", "Device reads that failed and were retried at once (sporadic bus errors), per sensor.", ["stream"]);
        var missed = f.CreateCounter("diode_edge_sensor_missed_total", "Reads that came back empty without an error (a DHT22's missed answer), per sensor.", ["stream"]);
        var openings = f.CreateCounter("diode_edge_sensor_breaker_openings_total", "Times the sensor's circuit breaker opened, per sensor.", ["stream"]);
        var breakerOpen = f.CreateGauge("diode_edge_sensor_breaker_open", "1 while the sensor's circuit breaker is open or half-open.", ["stream"]);
        var suppressed = f.CreateCounter("diode_edge_report_samples_suppressed_total", "Samples not published by the stream's reporting rules (deadband, heartbeat not due, minInterval), per stream.", ["stream"]);
        var outOfRange = f.CreateCounter("diode_edge_report_samples_out_of_range_total", "Samples dropped, never published, because a value was outside its reporting range, per stream and quantity.", ["stream", "quantity"]);
        var clockSynced = f.CreateGauge("diode_edge_clock_synchronized", "1 while the system clock is synchronised (adjtimex, as timedatectl decides), 0 otherwise; frames say \"clock\":\"synced\" or \"unsynced\".");
        var unsyncedFrames = f.CreateCounter("diode_edge_frames_clock_unsynced_total", "Frames signed while the system clock was not synchronised (stamped \"clock\":\"unsynced\").");
        metrics.OnCollect(() =>
        {
            clockSynced.Set(clock.Read().Synchronized ? 1 : 0);
            unsyncedFrames.IncTo(clock.UnsyncedFrames);
            foreach (var stream in hub.Streams)
            {
                published.WithLabels(stream.Id).IncTo(stream.FramesPublished);
                dropped.WithLabels(stream.Id).IncTo(stream.DroppedFrames);
                consumers.WithLabels(stream.Id).Set(stream.ConsumerCount);
                delivered.WithLabels(stream.Id).IncTo(stream.FramesDelivered);
                slowDisconnects.WithLabels(stream.Id).IncTo(stream.SlowDisconnects);
                var (total, max) = stream.QueueDepth();
                queued.WithLabels(stream.Id).Set(total);
                longest.WithLabels(stream.Id).Set(max);
            }

            foreach (var loop in sensors.Loops)
            {
                var status = loop.Status;
                readings.WithLabels(loop.StreamId).IncTo(status.Readings);
                failures.WithLabels(loop.StreamId).IncTo(status.Failures);
                state.WithLabels(loop.StreamId).Set(status.State == Sensors.SensorState.Ok ? 1 : 0);
                retries.WithLabels(loop.StreamId).IncTo(status.Retries);
                missed.WithLabels(loop.StreamId).IncTo(status.Missed);
                openings.WithLabels(loop.StreamId).IncTo(status.BreakerOpenings);
                breakerOpen.WithLabels(loop.StreamId).Set(status.State == Sensors.SensorState.Open ? 1 : 0);
                suppressed.WithLabels(loop.StreamId).IncTo(loop.Reporting.Suppressed);
                foreach (var (quantity, count) in loop.Reporting.OutOfRangeByQuantity())
                {
                    outOfRange.WithLabels(loop.StreamId, quantity).IncTo(count);
                }
            }
        });
    }
}
