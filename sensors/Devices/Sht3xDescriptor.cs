using System.Device.I2c;
using Diode.Edge.Sensors.Scan;

namespace Diode.Edge.Sensors.Devices;

/// <summary>The <c>sht3x</c> type: a Sensirion SHT3x read by <see cref="Sht3xSensor"/>.</summary>
internal static class Sht3xDescriptor
{
    public static SensorDescriptor Instance { get; } = new()
    {
        Type = "sht3x",
        Bus = SensorBus.I2c,
        DefaultAddress = 0x44,
        Quantities = _ => Sht3xSensor.Publishes,
        Create = c => new Sht3xSensor(c.OpenI2c(), c.Name, c.Time),
        Signature = I2cSignature.Probed([0x44, 0x45], Identify),
    };

    /// <summary>Reads the status register (command 0xF32D): an SHT3x answers with a word and its CRC-8.</summary>
    private static I2cIdentification Identify(I2cDevice device)
    {
        device.Write([0xF3, 0x2D]);
        Span<byte> status = stackalloc byte[3];
        device.Read(status);
        return Sht3xCrcGuard.Crc8(status[..2]) == status[2]
            ? new I2cIdentification(Recognised: true, "status word with a valid CRC", Guess: false)
            : new I2cIdentification(Recognised: false, "answers, but not with an SHT3x status word", Guess: false);
    }
}
