using Diode.Edge.Sensors.Scan;

namespace Diode.Edge.Sensors.Devices;

/// <summary>The <c>bmp280</c> type: a Bosch BMP280 (no humidity) read by <see cref="Bmx280Sensor"/>.</summary>
internal static class Bmp280Descriptor
{
    public static SensorDescriptor Instance { get; } = new()
    {
        Type = "bmp280",
        Bus = SensorBus.I2c,
        DefaultAddress = 0x76,
        Quantities = _ => Bmx280Sensor.Bmp280Quantities,
        Create = c => new Bmx280Sensor(c.OpenI2c(), humidity: false, c.Name, c.Time),

        // 0x56 and 0x57 are the BMP280's engineering samples, 0x58 the production chip.
        Signature = I2cSignature.ChipId([0x76, 0x77], 0xD0, 0x56, 0x57, 0x58),
    };
}
