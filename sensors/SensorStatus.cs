namespace Diode.Edge.Sensors;

/// <summary>An immutable snapshot of a sensor loop's state for health reporting.</summary>
/// <param name="Missed">Reads that came back empty without an error (a DHT22's missed answer): neither a reading nor a failure.</param>
/// <param name="Retries">Attempts that failed and were retried at once (a sporadic I2C error that the retry hid).</param>
/// <param name="BreakerOpenings">How often the circuit breaker opened.</param>
public sealed record SensorStatus(
    SensorState State,
    string? Reason,
    DateTimeOffset? LastReadingAt,
    long Readings,
    long Failures,
    int ConsecutiveFailures,
    long Missed = 0,
    long BreakerOpenings = 0,
    long StartAttempts = 0,
    long Retries = 0,
    string? LastRetryReason = null)
{
    /// <summary>Readings over read attempts (1 before the first attempt).</summary>
    public double SuccessRate => Readings + Failures + Missed == 0 ? 1 : (double)Readings / (Readings + Failures + Missed);
}
