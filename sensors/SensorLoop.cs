using Microsoft.Extensions.Logging;

namespace Diode.Edge.Sensors;

/// <summary>
/// Reads one sensor on its interval and hands each reading to the sink. A fault is caught, counted and shown in
/// <see cref="Status"/>; it never leaves this loop, so one broken sensor degrades only itself.
/// </summary>
public sealed partial class SensorLoop
{
    private readonly SensorOptions _options;
    private readonly Func<SensorOptions, ISensor> _create;
    private readonly IReadingSink _sink;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private volatile SensorStatus _status = new(SensorState.Starting, null, null, 0, 0, 0);

    private readonly Action? _onReading;

    /// <param name="onReading">Called after each reading is published: a critical sensor's heartbeat to the watchdog's health gate.</param>
    public SensorLoop(SensorOptions options, Func<SensorOptions, ISensor> create, IReadingSink sink, TimeProvider timeProvider, ILogger logger, Action? onReading = null)
    {
        _onReading = onReading;
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _create = create;
        _sink = sink;
        _timeProvider = timeProvider;
        _logger = logger;
        StreamId = options.Name ?? throw new ArgumentException("sensor has no name", nameof(options));
    }

    public string StreamId { get; }

    public SensorOptions Options => _options;

    public SensorStatus Status => _status;

    /// <summary>Runs until cancelled. Never throws, except <see cref="OperationCanceledException"/> is not thrown either.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        ISensor sensor;
        try
        {
            sensor = _create(_options);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _status = _status with { State = SensorState.FailedToStart, Reason = ex.Message };
            LogFailedToStart(_logger, StreamId, _options.Type, ex.Message);
            return;
        }

        using (sensor)
        using (var timer = new PeriodicTimer(_options.Interval, _timeProvider))
        {
            try
            {
                do
                {
                    await ReadOnceAsync(sensor, cancellationToken).ConfigureAwait(false);
                }
                while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }

        _status = _status with { State = SensorState.Stopped, Reason = null };
    }

    private async Task ReadOnceAsync(ISensor sensor, CancellationToken cancellationToken)
    {
        Reading reading;
        try
        {
            reading = await sensor.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var failed = _status;
            _status = failed with
            {
                State = SensorState.Degraded,
                Reason = ex.Message,
                Failures = failed.Failures + 1,
                ConsecutiveFailures = failed.ConsecutiveFailures + 1,
            };
            if (failed.ConsecutiveFailures == 0)
            {
                LogReadFailed(_logger, StreamId, ex.Message);
            }

            return;
        }

        _sink.Publish(StreamId, ApplyOffsets(reading));
        _onReading?.Invoke();
        var ok = _status;
        if (ok.ConsecutiveFailures > 0)
        {
            LogRecovered(_logger, StreamId, ok.ConsecutiveFailures);
        }

        _status = ok with
        {
            State = SensorState.Ok,
            Reason = null,
            LastReadingAt = reading.Timestamp,
            Readings = ok.Readings + 1,
            ConsecutiveFailures = 0,
        };
    }

    private Reading ApplyOffsets(Reading reading)
    {
        if (_options.Offsets.Count == 0)
        {
            return reading;
        }

        var corrected = new Measurement[reading.Measurements.Count];
        for (int i = 0; i < corrected.Length; i++)
        {
            var m = reading.Measurements[i];
            corrected[i] = _options.Offsets.TryGetValue(m.Quantity.Name, out double offset) ? m with { Value = m.Value + offset } : m;
        }

        return new Reading(reading.Timestamp, corrected);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "sensor {Stream} ({Type}) failed to start: {Reason}")]
    private static partial void LogFailedToStart(ILogger logger, string stream, string? type, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sensor {Stream}: read failed: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string stream, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "sensor {Stream}: reading again after {Failures} failed reads")]
    private static partial void LogRecovered(ILogger logger, string stream, int failures);
}
