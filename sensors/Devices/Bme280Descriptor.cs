using Diode.Edge.Sensors.Scan;

namespace Diode.Edge.Sensors.Devices;

/// <summary>The <c>bme280</c> type: a Bosch BME280 read by <see cref="Bmx280Sensor"/> with humidity.</summary>
internal static class Bme280Descriptor
{
    public static SensorDescriptor Instance { get; } = new()
    {
        Type = "bme280",
        Bus = SensorBus.I2c,
        DefaultAddress = 0x76,
        Quantities = _ => Bmx280Sensor.Bme280Quantities,
        Create = c => new Bmx280Sensor(c.OpenI2c(), humidity: true, c.Name, c.Time),
        Signature = I2cSignature.ChipId([0x76, 0x77], 0xD0, 0x60),
    };
}
