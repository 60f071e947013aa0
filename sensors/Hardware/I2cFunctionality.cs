namespace Diode.Edge.Sensors.Hardware;

/// <summary>What an I2C adapter can do (the I2C_FUNCS bits of linux/i2c.h that matter here).</summary>
[Flags]
#pragma warning disable CA1711 // "Functionality" is the kernel's word for this bit set.
public enum I2cFunctionality : ulong
#pragma warning restore CA1711
{
    None = 0,

    /// <summary>Plain I2C transfers (I2C_RDWR, read/write on the device node): what the .NET IoT bindings use.</summary>
    PlainI2c = 0x0000_0001,
    SmbusReadByte = 0x0002_0000,
    SmbusWriteByte = 0x0004_0000,
    SmbusReadByteData = 0x0008_0000,
    SmbusWriteByteData = 0x0010_0000,
    SmbusReadI2cBlock = 0x0400_0000,
    SmbusWriteI2cBlock = 0x0800_0000,
}
