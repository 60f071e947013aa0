using System.Runtime.InteropServices;

namespace Diode.Edge.Sensors.Hardware;

/// <summary>The i2c-dev ioctls and structures of linux/i2c-dev.h and linux/i2c.h (the same on arm, arm64 and x86); the calls are in <see cref="Interop.Libc"/>.</summary>
internal static class SmbusNative
{
    public const nuint I2cSlave = 0x0703;
    public const nuint I2cFuncs = 0x0705;
    public const nuint I2cSmbus = 0x0720;

    public const byte Write = 0;
    public const byte Read = 1;

    public const uint SizeByte = 1;
    public const uint SizeByteData = 2;
    public const uint SizeI2cBlockData = 8;

    /// <summary>The most an SMBus I2C-block transfer carries (I2C_SMBUS_BLOCK_MAX).</summary>
    public const int BlockMax = 32;

    /// <summary>struct i2c_smbus_ioctl_data: read_write, command, size, and a pointer to union i2c_smbus_data.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct SmbusIoctlData
    {
        public byte ReadWrite;
        public byte Command;
        public uint Size;
        public SmbusData* Data;
    }

    /// <summary>union i2c_smbus_data: byte, word, or block[0] = length then up to 32 bytes (34 in all).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct SmbusData
    {
        public fixed byte Block[BlockMax + 2];
    }
}
