namespace Diode.Edge.Sensors;

/// <summary>Where a sensor loop stands, as shown in /health.</summary>
public enum SensorState
{
    Starting,
    Ok,
    Degraded,
    FailedToStart,
    Stopped,
}
