namespace Diode.Edge.Sensors;

/// <summary>An immutable snapshot of a sensor loop's state for health reporting.</summary>
public sealed record SensorStatus(
    SensorState State,
    string? Reason,
    DateTimeOffset? LastReadingAt,
    long Readings,
    long Failures,
    int ConsecutiveFailures);
