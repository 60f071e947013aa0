using System.Buffers.Binary;

namespace Diode.Edge.Tests.Support.Hardware;

/// <summary>
/// A Sensirion SHT3x-DIS as its datasheet describes the protocol: 16-bit commands (soft reset 0x30A2, single shot
/// 0x2C06/0x2C0D/0x2C10 with clock stretching or 0x2400/0x240B/0x2416 without, heater 0x306D/0x3066, status 0xF32D); after a measurement a 6-byte read
/// returns T MSB, LSB, CRC, RH MSB, LSB, CRC (CRC-8 0x31, init 0xFF); a read with nothing to send is not acknowledged.
/// Raw values follow §4.13: T = -45 + 175·S_T/(2^16-1), RH = 100·S_RH/(2^16-1).
/// </summary>
public sealed class Sht3xChip : EmulatedI2cChip
{
    private readonly byte[] _pending = new byte[6];
    private int _pendingLength;

    public double Temperature { get; set; } = 23.5;

    public double Humidity { get; set; } = 41.2;

    public bool HeaterOn { get; private set; }

    public int Measurements { get; private set; }

    public static ushort RawTemperature(double celsius) => (ushort)Math.Round(Math.Clamp((celsius + 45) / 175, 0, 1) * 65535);

    public static ushort RawHumidity(double percent) => (ushort)Math.Round(Math.Clamp(percent / 100, 0, 1) * 65535);

    public static byte Crc8(ReadOnlySpan<byte> data)
    {
        byte crc = 0xFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 0x80) != 0 ? (byte)((crc << 1) ^ 0x31) : (byte)(crc << 1);
            }
        }

        return crc;
    }

    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.Length != 2)
        {
            throw new IOException("Error 121 (Remote I/O error) performing I2C data transfer.");
        }

        ushort command = BinaryPrimitives.ReadUInt16BigEndian(data);
        _pendingLength = 0;
        switch (command)
        {
            case 0x30A2:
                HeaterOn = false;
                break;
            case 0x306D:
                HeaterOn = true;
                break;
            case 0x3066:
                HeaterOn = false;
                break;
            case 0x2C06 or 0x2C0D or 0x2C10 or 0x2400 or 0x240B or 0x2416:
                Measurements++;
                Word(0, RawTemperature(Temperature));
                Word(3, RawHumidity(Humidity));
                _pendingLength = 6;
                break;
            case 0xF32D:
                Word(0, (ushort)(HeaterOn ? 0x2000 : 0x0000));
                _pendingLength = 3;
                break;
            default:
                // An unknown command is not acknowledged.
                throw new IOException("Error 121 (Remote I/O error) performing I2C data transfer.");
        }
    }

    protected override void OnRead(Span<byte> buffer)
    {
        if (_pendingLength == 0)
        {
            throw new IOException("Error 121 (Remote I/O error) performing I2C data transfer.");
        }

        _pending.AsSpan(0, Math.Min(buffer.Length, _pendingLength)).CopyTo(buffer);
        if (Fault == I2cFault.Corrupt)
        {
            buffer[^1] ^= 0x5A;
        }

        _pendingLength = 0;
    }

    private void Word(int at, ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_pending.AsSpan(at), value);
        _pending[at + 2] = Crc8(_pending.AsSpan(at, 2));
    }
}
