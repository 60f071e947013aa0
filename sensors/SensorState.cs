namespace Diode.Edge.Sensors;

/// <summary>Where a sensor loop stands, as shown in /health.</summary>
public enum SensorState
{
    Starting,
    Ok,
    Degraded,

    /// <summary>The circuit breaker is open (or half-open, trying one read) after the sensor kept failing.</summary>
    Open,
    FailedToStart,
    Stopped,
}
