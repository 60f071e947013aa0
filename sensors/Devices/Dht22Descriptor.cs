namespace Diode.Edge.Sensors.Devices;

/// <summary>The <c>dht22</c> type: a DHT22/AM2302 on a GPIO pin, read by <see cref="Dht22Sensor"/>.</summary>
internal static class Dht22Descriptor
{
    public static SensorDescriptor Instance { get; } = new()
    {
        Type = "dht22",
        Bus = SensorBus.Gpio,
        Quantities = _ => Dht22Sensor.Publishes,
        Create = c => new Dht22Sensor(c.Gpio(), c.RequirePin(), c.Name, c.Time),
    };
}
