using Diode.Edge.Sensors;

namespace Diode.Edge.Agent.Streams;

/// <summary>
/// The streams the configuration's sensors publish, one per sensor, known before any service starts: the hub is built
/// with them, so the store's writer, the MQTT output and the endpoints subscribe to every stream from its first frame
/// whatever order the services are made in (none of them depends on the sensors' service for that).
/// </summary>
internal static class SensorStreamCatalog
{
    /// <summary>Registers one stream per sensor, in the configuration's order.</summary>
    public static StreamHub Register(StreamHub hub, IEnumerable<SensorOptions> sensors)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(sensors);
        foreach (var sensor in sensors)
        {
            hub.Register(Describe(sensor));
        }

        return hub;
    }

    /// <summary>What a sensor's stream says of itself: its id (the sensor's name), type, quantities and interval.</summary>
    public static StreamDescriptor Describe(SensorOptions sensor)
    {
        ArgumentNullException.ThrowIfNull(sensor);
        return new(sensor.Name!, sensor.Type!, SensorFactory.QuantitiesOf(sensor), sensor.Interval);
    }
}
