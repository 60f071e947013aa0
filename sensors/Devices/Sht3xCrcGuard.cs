using System.Device.I2c;

namespace Diode.Edge.Sensors.Devices;

/// <summary>
/// Passes an SHT3x's I2C traffic through to the chip and checks the CRC-8 (polynomial 0x31, init 0xFF, datasheet
/// §4.12) of every 6-byte measurement the binding reads. The binding itself ignores a bad CRC and keeps returning
/// the previous value (dotnet/iot Sht3x.ReadTempAndHumidity), which would publish a stale reading as if it were new;
/// here a bad CRC fails the read, so the retry and the breaker see it.
/// </summary>
internal sealed class Sht3xCrcGuard(I2cDevice inner) : I2cDevice
{
    public override I2cConnectionSettings ConnectionSettings => inner.ConnectionSettings;

    public override byte ReadByte() => inner.ReadByte();

    public override void Read(Span<byte> buffer)
    {
        inner.Read(buffer);
        if (buffer.Length == 6 && (Crc8(buffer[..2]) != buffer[2] || Crc8(buffer.Slice(3, 2)) != buffer[5]))
        {
            throw new IOException($"SHT3x CRC mismatch at {I2cLocation.Of(inner)} (noise on the bus: shorten the wires or add pull-ups)");
        }
    }

    public override void WriteByte(byte value) => inner.WriteByte(value);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) => inner.WriteRead(writeBuffer, readBuffer);

    /// <summary>The Sensirion CRC-8 of <paramref name="data"/>.</summary>
    public static byte Crc8(ReadOnlySpan<byte> data)
    {
        byte crc = 0xFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x80) != 0 ? (byte)((crc << 1) ^ 0x31) : (byte)(crc << 1);
            }
        }

        return crc;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
