namespace Diode.Edge.Sensors;

/// <summary>A sensor that also reports changes as they happen (a GPIO edge), besides its polled readings.</summary>
public interface IEventSensor : ISensor
{
    /// <summary>Readings to publish at once, each with the time of its event. Completes when the sensor is disposed.</summary>
    IAsyncEnumerable<Reading> EventsAsync(CancellationToken cancellationToken);
}
