using System.Device.I2c;
using Diode.Edge.Sensors.Scan;

namespace Diode.Edge.Sensors.Devices;

/// <summary>The <c>bh1750</c> type: a ROHM BH1750FVI read by <see cref="Bh1750Sensor"/>.</summary>
internal static class Bh1750Descriptor
{
    public static SensorDescriptor Instance { get; } = new()
    {
        Type = "bh1750",
        Bus = SensorBus.I2c,
        DefaultAddress = 0x23,
        Quantities = _ => Bh1750Sensor.Publishes,
        Create = c => new Bh1750Sensor(c.OpenI2c(), c.Name, c.Time),
        Signature = I2cSignature.Probed([0x23, 0x5C], Identify),
    };

    /// <summary>It has no id register: one that acknowledges its (harmless) power-on command is reported as a guess.</summary>
    private static I2cIdentification Identify(I2cDevice device)
    {
        device.WriteByte(0x01);
        return new I2cIdentification(Recognised: true, "acknowledges at a BH1750 address (it has no id register)", Guess: true);
    }
}
