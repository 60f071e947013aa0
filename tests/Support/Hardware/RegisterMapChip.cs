namespace Diode.Edge.Tests.Support.Hardware;

/// <summary>
/// A chip with 8-bit registers behind an auto-incrementing register pointer (the Bosch sensors): a write's first byte
/// sets the pointer and further bytes are written from there; a read returns registers from the pointer on.
/// </summary>
public abstract class RegisterMapChip : EmulatedI2cChip
{
    private byte _pointer;

    protected byte[] Registers { get; } = new byte[256];

    /// <summary>Sets registers directly (as the chip's own logic would), bypassing <see cref="OnRegisterWritten"/>.</summary>
    public void Plant(byte register, ReadOnlySpan<byte> values) => values.CopyTo(Registers.AsSpan(register));

    public byte Peek(byte register) => Registers[register];

    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        _pointer = data[0];
        for (int i = 1; i < data.Length; i++)
        {
            byte register = (byte)(_pointer + i - 1);
            if (IsWritable(register))
            {
                Registers[register] = data[i];
                OnRegisterWritten(register, data[i]);
            }
        }
    }

    protected override void OnRead(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = Registers[(byte)(_pointer + i)];
        }
    }

    /// <summary>Stores a 20-bit Bosch ADC value as MSB, LSB, XLSB[7:4] from <paramref name="address"/> on.</summary>
    protected void WriteAdc20(byte address, int value)
    {
        Registers[address] = (byte)(value >> 12);
        Registers[address + 1] = (byte)(value >> 4);
        Registers[address + 2] = (byte)((value & 0x0F) << 4);
    }

    /// <summary>Whether the host may write this register (read-only ones keep their value, as on the chip).</summary>
    protected abstract bool IsWritable(byte address);

    /// <summary>The chip reacting to a register write (a reset, a measurement started).</summary>
    protected virtual void OnRegisterWritten(byte address, byte value)
    {
    }
}
