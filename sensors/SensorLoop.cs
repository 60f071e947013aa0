using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace Diode.Edge.Sensors;

/// <summary>
/// Runs one sensor: starts it (and keeps trying, with a growing pause, while it cannot start), reads it on its interval
/// through its own <see cref="SensorPipeline"/>, publishes each reading at once, and for an <see cref="IEventSensor"/>
/// publishes its events as they come. A fault is caught, counted and shown in <see cref="Status"/>; it never leaves
/// this loop, so one broken sensor degrades only itself.
/// </summary>
public sealed partial class SensorLoop
{
    /// <summary>The longest pause between two attempts to start a sensor that cannot start.</summary>
    public static readonly TimeSpan MaxStartRetryDelay = TimeSpan.FromMinutes(5);

    private readonly SensorOptions _options;
    private readonly Func<SensorOptions, ISensor> _create;
    private readonly IReadingSink _sink;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Action? _onReading;
    private readonly Lock _statusGate = new();
    private SensorStatus _status = new(SensorState.Starting, null, null, 0, 0, 0);

    /// <param name="onReading">Called after each reading is published: a critical sensor's heartbeat to the watchdog's health gate.</param>
    public SensorLoop(SensorOptions options, Func<SensorOptions, ISensor> create, IReadingSink sink, TimeProvider timeProvider, ILogger logger, Action? onReading = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _create = create;
        _sink = sink;
        _timeProvider = timeProvider;
        _logger = logger;
        _onReading = onReading;
        StreamId = options.Name ?? throw new ArgumentException("sensor has no name", nameof(options));
        Reporting = new Reporting.ReportingFilter(options.Report, timeProvider);
    }

    /// <summary>The stream's reporting rules at work, with their counters (samples, published, suppressed, out of range).</summary>
    public Reporting.ReportingFilter Reporting { get; }

    public string StreamId { get; }

    public SensorOptions Options => _options;

    public SensorStatus Status
    {
        get
        {
            lock (_statusGate)
            {
                return _status;
            }
        }
    }

    /// <summary>The pause before start attempt <paramref name="attempt"/> (1-based) after a failed start: 5 s, doubling, at most <see cref="MaxStartRetryDelay"/>.</summary>
    public static TimeSpan StartRetryDelay(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxStartRetryDelay.Ticks, TimeSpan.FromSeconds(5).Ticks << Math.Min(attempt - 1, 10)));

    /// <summary>Runs until cancelled; never throws.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var sensor = await StartAsync(cancellationToken).ConfigureAwait(false);
            if (sensor is null)
            {
                return;
            }

            var events = sensor is IEventSensor eventSensor ? PumpEventsAsync(eventSensor, cancellationToken) : Task.CompletedTask;
            var pipeline = SensorPipeline.Create(_options, _timeProvider, new SensorPipelineEvents(OnBreakerOpened, OnBreakerHalfOpened, OnBreakerClosed, OnRetried));
            using (var timer = new PeriodicTimer(_options.Interval, _timeProvider))
            {
                do
                {
                    await ReadOnceAsync(sensor, pipeline, cancellationToken).ConfigureAwait(false);
                }
                while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
            }

            await events.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        Update(s => s with { State = SensorState.Stopped, Reason = null });
    }

    private async Task<ISensor?> StartAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            ISensor? sensor = null;
            try
            {
                sensor = _create(_options);

                // Opening a chip reads its id and calibration: a stuck bus must not hang the start either.
                var startTimeout = SensorPipeline.DefaultTimeout(_options) + TimeSpan.FromSeconds(5);
                using var timeout = new CancellationTokenSource(startTimeout, _timeProvider);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                try
                {
                    await sensor.StartAsync(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new SensorStartException($"the device did not answer within {startTimeout.TotalSeconds:0} s (bus stuck?)");
                }

                if (attempt > 1)
                {
                    LogStartedAfterAll(_logger, StreamId, attempt);
                }

                Update(s => s with { State = SensorState.Ok, Reason = null, StartAttempts = attempt });
                return sensor;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                sensor?.Dispose();
                var delay = StartRetryDelay(attempt);
                string reason = ex is SensorStartException or IOException or UnauthorizedAccessException or ArgumentException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
                Update(s => s with { State = SensorState.FailedToStart, Reason = reason, StartAttempts = attempt });
                if (attempt == 1)
                {
                    LogFailedToStart(_logger, StreamId, _options.Type, reason, delay);
                }

                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ReadOnceAsync(ISensor sensor, ResiliencePipeline pipeline, CancellationToken cancellationToken)
    {
        Reading reading;
        try
        {
            reading = await pipeline.ExecuteAsync(static (s, ct) => s.ReadAsync(ct), sensor, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (BrokenCircuitException)
        {
            // Left alone while the breaker is open: not a new failure.
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var before = Status;
            string reason = SensorPipeline.Describe(ex, _options);
            Update(s => s with
            {
                State = s.State == SensorState.Open ? SensorState.Open : SensorState.Degraded,
                Reason = reason,
                Failures = s.Failures + 1,
                ConsecutiveFailures = s.ConsecutiveFailures + 1,
            });
            if (before.ConsecutiveFailures == 0)
            {
                LogReadFailed(_logger, StreamId, reason);
            }

            return;
        }

        if (reading.Measurements.Count == 0)
        {
            // A missed answer is not a fault: the sensor is there (a critical one still counts as alive).
            Update(s => s with { Missed = s.Missed + 1 });
            _onReading?.Invoke();
            return;
        }

        Publish(reading);
        var previous = Status;
        if (previous.ConsecutiveFailures > 0)
        {
            LogRecovered(_logger, StreamId, previous.ConsecutiveFailures);
        }

        Update(s => s with { State = SensorState.Ok, Reason = null, ConsecutiveFailures = 0 });
    }

    private async Task PumpEventsAsync(IEventSensor sensor, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var reading in sensor.EventsAsync(cancellationToken).ConfigureAwait(false))
            {
                Publish(reading);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Publish(Reading reading)
    {
        // The reporting rules decide before the hub signs: every signed frame is one that was published.
        if (Reporting.Apply(ApplyOffsets(reading)) is { } report)
        {
            _sink.Publish(StreamId, report);
        }

        _onReading?.Invoke();
        Update(s => s with
        {
            LastReadingAt = s.LastReadingAt is { } last && last > reading.Timestamp ? last : reading.Timestamp,
            Readings = s.Readings + 1,
        });
    }

    private void OnBreakerOpened(string? reason)
    {
        Update(s => s with { State = SensorState.Open, Reason = reason, BreakerOpenings = s.BreakerOpenings + 1 });
        LogBreakerOpened(_logger, StreamId, _options.BreakDuration, reason);
    }

    private void OnRetried(string? reason) => Update(s => s with { Retries = s.Retries + 1, LastRetryReason = reason });

    private void OnBreakerHalfOpened() => LogBreakerHalfOpened(_logger, StreamId);

    private void OnBreakerClosed()
    {
        Update(s => s with { State = SensorState.Ok, Reason = null });
        LogBreakerClosed(_logger, StreamId);
    }

    private void Update(Func<SensorStatus, SensorStatus> change)
    {
        lock (_statusGate)
        {
            _status = change(_status);
        }
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
            corrected[i] = _options.Offsets.TryGetValue(m.Quantity.Name, out double offset) ? m with { Value = Math.Round(m.Value + offset, 6) } : m;
        }

        return new Reading(reading.Timestamp, corrected);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "sensor {Stream} ({Type}) failed to start: {Reason}; trying again in {Delay}, then less often")]
    private static partial void LogFailedToStart(ILogger logger, string stream, string? type, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "sensor {Stream} started after {Attempts} attempts")]
    private static partial void LogStartedAfterAll(ILogger logger, string stream, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sensor {Stream}: read failed: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string stream, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "sensor {Stream}: reading again after {Failures} failed reads")]
    private static partial void LogRecovered(ILogger logger, string stream, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "sensor {Stream}: circuit breaker open for {BreakDuration} after repeated failures ({Reason})")]
    private static partial void LogBreakerOpened(ILogger logger, string stream, TimeSpan breakDuration, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "sensor {Stream}: circuit breaker half-open, trying one read")]
    private static partial void LogBreakerHalfOpened(ILogger logger, string stream);

    [LoggerMessage(Level = LogLevel.Information, Message = "sensor {Stream}: circuit breaker closed, the sensor reads again")]
    private static partial void LogBreakerClosed(ILogger logger, string stream);
}
