namespace Diode.Edge.Sensors;

/// <summary>One sample of a sensor: when it was taken and the values it holds.</summary>
public sealed class Reading(DateTimeOffset timestamp, IReadOnlyList<Measurement> measurements)
{
    public DateTimeOffset Timestamp { get; } = timestamp;

    public IReadOnlyList<Measurement> Measurements { get; } = measurements;
}
