using System.Device.I2c;
using System.Globalization;
using System.Runtime.InteropServices;
using Diode.Edge.Interop;

namespace Diode.Edge.Sensors.Hardware;

/// <summary>
/// An <see cref="I2cDevice"/> on an SMBus-only adapter (no I2C_FUNC_I2C: the kernel's i2c-stub, PC SMBus controllers such
/// as i2c-i801 or i2c-piix4), where the plain transfers of System.Device.I2c fail with EOPNOTSUPP. Each call becomes the
/// SMBus transaction that puts the same bytes on the wire, the way i2c-tools talk to register-addressed chips:
/// a 1-byte write is "send byte" (it sets the chip's register pointer), 2 bytes "write byte data", up to 33 bytes
/// "I2C block write"; a read after a 1-byte write (or <see cref="WriteRead"/> with a 1-byte register) is "read byte data"
/// or "I2C block read" from that register, in blocks of 32 that follow the chip's auto-increment; a lone 1-byte read is
/// "receive byte". What SMBus cannot express (a multi-byte read with no register, a 2-byte command then a read, as the
/// SHT3x needs) is an <see cref="IOException"/> that says so.
/// </summary>
public sealed class SmbusI2cDevice : I2cDevice
{
    private readonly I2cConnectionSettings _settings;
    private readonly I2cFunctionality _functions;
    private int _fd;
    private int _pointer = -1;

    private SmbusI2cDevice(I2cConnectionSettings settings, int fd, I2cFunctionality functions)
    {
        _settings = settings;
        _fd = fd;
        _functions = functions;
    }

    public override I2cConnectionSettings ConnectionSettings => _settings;

    /// <summary>The adapter's functionality bits (I2C_FUNCS) of <paramref name="node"/>, or an <see cref="IOException"/>.</summary>
    public static unsafe I2cFunctionality Functionality(string node)
    {
        int fd = OpenNode(node);
        try
        {
            return QueryFunctions(fd, node);
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }

    /// <summary>Opens <paramref name="node"/> and addresses <paramref name="address"/> on it.</summary>
    public static SmbusI2cDevice Open(string node, I2cConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        int fd = OpenNode(node);
        try
        {
            var functions = QueryFunctions(fd, node);
            if (Libc.Ioctl(fd, SmbusNative.I2cSlave, settings.DeviceAddress) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                string why = errno == 16 ? "a kernel driver has claimed that address (unbind it, or remove its dtoverlay)" : Marshal.GetPInvokeErrorMessage(errno);
                throw new IOException($"Error {errno}. Cannot address 0x{settings.DeviceAddress:X2} on {node}: {why}.");
            }

            return new SmbusI2cDevice(settings, fd, functions);
        }
        catch
        {
            _ = Libc.Close(fd);
            throw;
        }
    }

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    public override void Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            throw new ArgumentException("the buffer is empty", nameof(buffer));
        }

        if (_pointer >= 0)
        {
            byte register = (byte)_pointer;
            _pointer = -1;
            ReadRegisters(register, buffer);
        }
        else if (buffer.Length == 1)
        {
            Require(I2cFunctionality.SmbusReadByte, "receive byte");
            Transfer(SmbusNative.Read, 0, SmbusNative.SizeByte, ReadOnlySpan<byte>.Empty, buffer);
        }
        else
        {
            throw Unsupported($"a {buffer.Length}-byte read with no register written first");
        }
    }

    public override void WriteByte(byte value)
    {
        Span<byte> one = [value];
        Write(one);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _pointer = -1;
        switch (buffer.Length)
        {
            case 0:
                throw new ArgumentException("the buffer is empty", nameof(buffer));
            case 1:
                Require(I2cFunctionality.SmbusWriteByte, "send byte");
                Transfer(SmbusNative.Write, buffer[0], SmbusNative.SizeByte, ReadOnlySpan<byte>.Empty, Span<byte>.Empty);
                _pointer = buffer[0];
                break;
            case 2:
                Require(I2cFunctionality.SmbusWriteByteData, "write byte data");
                Transfer(SmbusNative.Write, buffer[0], SmbusNative.SizeByteData, buffer[1..], Span<byte>.Empty);
                break;
            case <= SmbusNative.BlockMax + 1:
                Require(I2cFunctionality.SmbusWriteI2cBlock, "I2C block write");
                Transfer(SmbusNative.Write, buffer[0], SmbusNative.SizeI2cBlockData, buffer[1..], Span<byte>.Empty);
                break;
            default:
                throw Unsupported($"a {buffer.Length}-byte write (SMBus carries at most {SmbusNative.BlockMax + 1})");
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        if (writeBuffer.Length != 1)
        {
            throw Unsupported($"a {writeBuffer.Length}-byte command followed by a read");
        }

        _pointer = -1;
        ReadRegisters(writeBuffer[0], readBuffer);
    }

    protected override void Dispose(bool disposing)
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            _ = Libc.Close(fd);
        }

        base.Dispose(disposing);
    }

    private void ReadRegisters(byte register, Span<byte> buffer)
    {
        if (buffer.Length == 1 && _functions.HasFlag(I2cFunctionality.SmbusReadByteData))
        {
            Transfer(SmbusNative.Read, register, SmbusNative.SizeByteData, ReadOnlySpan<byte>.Empty, buffer);
            return;
        }

        Require(I2cFunctionality.SmbusReadI2cBlock, "I2C block read");
        for (int offset = 0; offset < buffer.Length; offset += SmbusNative.BlockMax)
        {
            int length = Math.Min(SmbusNative.BlockMax, buffer.Length - offset);
            Transfer(SmbusNative.Read, (byte)(register + offset), SmbusNative.SizeI2cBlockData, ReadOnlySpan<byte>.Empty, buffer.Slice(offset, length));
        }
    }

    /// <summary>One I2C_SMBUS ioctl, reading into <paramref name="destination"/>. For block sizes, <c>data.block[0]</c> is the length and the bytes follow.</summary>
    private unsafe void Transfer(byte readWrite, byte command, uint size, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        SmbusNative.SmbusData data = default;
        byte* block = data.Block;
        if (size == SmbusNative.SizeI2cBlockData)
        {
            block[0] = (byte)(readWrite == SmbusNative.Read ? destination.Length : payload.Length);
            payload.CopyTo(new Span<byte>(block + 1, SmbusNative.BlockMax));
        }
        else if (!payload.IsEmpty)
        {
            block[0] = payload[0];
        }

        var request = new SmbusNative.SmbusIoctlData { ReadWrite = readWrite, Command = command, Size = size, Data = &data };
        if (Libc.Ioctl(_fd, SmbusNative.I2cSmbus, &request) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Error {errno} performing I2C data transfer ({Marshal.GetPInvokeErrorMessage(errno)}).");
        }

        new ReadOnlySpan<byte>(size == SmbusNative.SizeI2cBlockData ? block + 1 : block, destination.Length).CopyTo(destination);
    }

    private void Require(I2cFunctionality function, string transaction)
    {
        if (!_functions.HasFlag(function))
        {
            throw Unsupported($"\"{transaction}\" (the adapter does not offer it)");
        }
    }

    private IOException Unsupported(string what) => new(string.Create(CultureInfo.InvariantCulture,
        $"/dev/i2c-{_settings.BusId} is an SMBus-only adapter and cannot carry {what} for 0x{_settings.DeviceAddress:X2}; this chip needs a plain I2C bus (on a Pi: /dev/i2c-1)"));

    private static int OpenNode(string node)
    {
        int fd = Libc.Open(node, Libc.ORdWr | Libc.OCloExec);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Error {errno}. Can not open I2C device file '{node}' ({Marshal.GetPInvokeErrorMessage(errno)}).");
        }

        return fd;
    }

    private static unsafe I2cFunctionality QueryFunctions(int fd, string node)
    {
        ulong functions = 0;
        if (Libc.Ioctl(fd, SmbusNative.I2cFuncs, &functions) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Error {errno}. {node} does not answer I2C_FUNCS ({Marshal.GetPInvokeErrorMessage(errno)}); is it an i2c-dev node?");
        }

        return (I2cFunctionality)functions;
    }
}
