using Diode.Edge.Sensors.Scan;

namespace Diode.Edge.Sensors.Devices;

/// <summary>The <c>bme680</c> type: a Bosch BME680 read by <see cref="Bme680Sensor"/>.</summary>
internal static class Bme680Descriptor
{
    public static SensorDescriptor Instance { get; } = new()
    {
        Type = "bme680",
        Bus = SensorBus.I2c,
        DefaultAddress = 0x76,
        Quantities = _ => Bme680Sensor.Publishes,
        Create = c => new Bme680Sensor(c.OpenI2c(), c.Name, c.Time),
        Signature = I2cSignature.ChipId([0x76, 0x77], 0xD0, 0x61),
    };
}
