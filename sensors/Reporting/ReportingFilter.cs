namespace Diode.Edge.Sensors.Reporting;

/// <summary>
/// A stream's reporting rules at work (<see cref="ReportRules"/>): each sample is checked against the ranges, smoothed,
/// and either published (the reading returned, with the smoothed values) or not (null). A frame is published when
/// any of its quantities asks for one, and then carries every quantity's current value. Times are the
/// <see cref="TimeProvider"/>'s monotonic timestamps, so a wall clock set by NTP neither fires nor starves a heartbeat.
/// Deciding allocates nothing; a published reading whose values were smoothed is a new one.
/// </summary>
public sealed class ReportingFilter
{
    private readonly ReportOptions? _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private QuantityReporter[] _quantities = [];
    private long _lastFrameAt;
    private bool _published;
    private long _samples;
    private long _frames;
    private long _suppressed;
    private long _outOfRange;

    public ReportingFilter(ReportOptions? options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _time = timeProvider;
    }

    /// <summary>Samples taken in (every reading of the sensor).</summary>
    public long Samples => Interlocked.Read(ref _samples);

    /// <summary>Samples published as frames.</summary>
    public long Published => Interlocked.Read(ref _frames);

    /// <summary>Samples not published because no rule asked for a frame (deadband, heartbeat not due, throttled).</summary>
    public long Suppressed => Interlocked.Read(ref _suppressed);

    /// <summary>Samples dropped because a value was outside its range.</summary>
    public long OutOfRange => Interlocked.Read(ref _outOfRange);

    /// <summary>Samples dropped for being out of range, by the quantity that was.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> OutOfRangeByQuantity()
    {
        lock (_gate)
        {
            return [.. _quantities.Select(q => new KeyValuePair<string, long>(q.Name, q.OutOfRange))];
        }
    }

    /// <summary>The reading to publish for this sample, or null when it is not published.</summary>
    public Reading? Apply(Reading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (_options is null)
        {
            Interlocked.Increment(ref _samples);
            Interlocked.Increment(ref _frames);
            return reading;
        }

        lock (_gate)
        {
            Interlocked.Increment(ref _samples);
            var measurements = reading.Measurements;
            bool inRange = true;
            for (int i = 0; i < measurements.Count; i++)
            {
                // Every quantity is checked (and counted), not only the first one out of range.
                inRange &= Reporter(i, measurements[i].Quantity.Name).InRange(measurements[i].Value);
            }

            if (!inRange)
            {
                Interlocked.Increment(ref _outOfRange);
                return null;
            }

            long now = _time.GetTimestamp();
            TimeSpan? sinceFrame = _published ? _time.GetElapsedTime(_lastFrameAt, now) : null;
            bool smoothed = false;
            bool wanted = false;
            for (int i = 0; i < measurements.Count; i++)
            {
                var reporter = _quantities[i];
                double value = measurements[i].Value;
                smoothed |= reporter.Smooth(value) != value;
                wanted |= reporter.Wants(sinceFrame);
            }

            if (!wanted)
            {
                Interlocked.Increment(ref _suppressed);
                return null;
            }

            _published = true;
            _lastFrameAt = now;
            for (int i = 0; i < measurements.Count; i++)
            {
                _quantities[i].Published();
            }

            Interlocked.Increment(ref _frames);
            return smoothed ? Smoothed(reading) : reading;
        }
    }

    private Reading Smoothed(Reading reading)
    {
        var values = new Measurement[reading.Measurements.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = reading.Measurements[i] with { Value = _quantities[i].Current };
        }

        return new Reading(reading.Timestamp, values);
    }

    /// <summary>The reporter of the quantity at position <paramref name="index"/> of the reading; made the first time a quantity is seen there (a sensor's quantities keep their order).</summary>
    private QuantityReporter Reporter(int index, string name)
    {
        if (index < _quantities.Length && _quantities[index].Name == name)
        {
            return _quantities[index];
        }

        return AddReporter(index, name);
    }

    /// <summary>Apart from <see cref="Reporter"/>: its lambda's closure would otherwise be allocated on every call.</summary>
    private QuantityReporter AddReporter(int index, string name)
    {
        var existing = Array.Find(_quantities, q => q.Name == name) ?? new QuantityReporter(name, QuantityRules.For(_options, name));
        var grown = _quantities.Length > index ? (QuantityReporter[])_quantities.Clone() : new QuantityReporter[index + 1];
        Array.Copy(_quantities, grown, Math.Min(_quantities.Length, grown.Length));
        grown[index] = existing;
        _quantities = grown;
        return existing;
    }
}
