using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Diode.Edge.Sensors;

/// <summary>
/// The Polly v8 pipeline around each read of one sensor, composed from its options: a small retry with jitter
/// (sporadic I2C "Remote I/O error"), a circuit breaker (a sensor that keeps failing is left alone for
/// <see cref="SensorOptions.BreakDuration"/>, then tried once), and a timeout per attempt (a stuck bus).
/// </summary>
public static class SensorPipeline
{
    /// <summary>Attempts a read is retried after the first failure.</summary>
    public const int Retries = 2;

    /// <summary>The per-attempt timeout when config gives none: the interval, within 1 s to 5 s.</summary>
    public static TimeSpan DefaultTimeout(SensorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Timeout ?? TimeSpan.FromTicks(Math.Clamp(options.Interval.Ticks, TimeSpan.TicksPerSecond, 5 * TimeSpan.TicksPerSecond));
    }

    /// <summary>A failure as a user should read it (Polly's timeout message names no cause).</summary>
    public static string Describe(Exception? error, SensorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return error switch
        {
            null => "unknown failure",
            TimeoutRejectedException => $"the read timed out after {DefaultTimeout(options).TotalMilliseconds:0} ms (I2C bus stuck? a device holding SDA low)",
            _ => error.Message,
        };
    }

    public static ResiliencePipeline Create(SensorOptions options, TimeProvider timeProvider, SensorPipelineEvents events)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(events);
        var handled = new PredicateBuilder().Handle<Exception>(ex => ex is not (BrokenCircuitException or OperationCanceledException));
        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = handled,
                MaxRetryAttempts = Retries,
                Delay = TimeSpan.FromMilliseconds(20),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    events.Retried(Describe(args.Outcome.Exception, options));
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = handled,

                // Most attempts failing, over ten intervals (at least 30 s), with at least six attempts: a sporadic
                // error every few reads never opens it; a dead or stuck sensor opens it within two or three reads.
                FailureRatio = 0.75,
                MinimumThroughput = 6,
                SamplingDuration = TimeSpan.FromTicks(Math.Max(options.Interval.Ticks * 10, TimeSpan.TicksPerSecond * 30)),
                BreakDuration = options.BreakDuration,
                OnOpened = args =>
                {
                    events.Opened(Describe(args.Outcome.Exception, options));
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    events.HalfOpened();
                    return default;
                },
                OnClosed = _ =>
                {
                    events.Closed();
                    return default;
                },
            })
            .AddTimeout(DefaultTimeout(options))
            .Build();
    }
}
