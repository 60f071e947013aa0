using System.Device.I2c;

namespace Diode.Edge.Tests.Support.Hardware;

/// <summary>An <see cref="I2cDevice"/> on an emulated bus: transfers go to the chip at its address, or fail like a Linux adapter when none answers.</summary>
public sealed class EmulatedI2cDevice(I2cConnectionSettings settings, EmulatedI2cChip? chip) : I2cDevice
{
    public override I2cConnectionSettings ConnectionSettings => settings;

    public override void Read(Span<byte> buffer) => Chip().Read(buffer);

    public override void Write(ReadOnlySpan<byte> buffer) => Chip().Write(buffer);

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        var target = Chip();
        target.Write(writeBuffer);
        target.Read(readBuffer);
    }

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    public override void WriteByte(byte value) => Write([value]);

    // No ACK at this address: the kernel's i2c-bcm2835 reports EREMOTEIO.
    private EmulatedI2cChip Chip() => chip ?? throw new IOException("Error 121 (Remote I/O error) performing I2C data transfer.");
}
