namespace Diode.Edge.Tests.Support.Hardware;

/// <summary>
/// A ROHM BH1750FVI as its datasheet describes it: 1-byte instructions (power down 0x00, power on 0x01, reset 0x07,
/// continuous H-res 0x10, H-res2 0x11, L-res 0x13, one-time 0x20/0x21/0x23, MTreg high 0b01000_xxx and low
/// 0b011_xxxxx, default MTreg 69); a 2-byte read returns the count, big-endian, where in H-resolution mode
/// lx = count / 1.2 · (69 / MTreg) (H-res2: half that). In power-down it does not measure (count 0 after a reset).
/// </summary>
public sealed class Bh1750Chip : EmulatedI2cChip
{
    private bool _poweredOn;
    private byte _mode;
    private int _mtreg = 69;

    public double Illuminance { get; set; } = 350;

    /// <summary>When set, the count the chip returns as it is (e.g. the datasheet's 0x8390 example).</summary>
    public ushort? RawCount { get; set; }

    public int MeasurementTime => _mtreg;

    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        foreach (byte instruction in data)
        {
            switch (instruction)
            {
                case 0x00:
                    _poweredOn = false;
                    break;
                case 0x01:
                    _poweredOn = true;
                    break;
                case 0x07:
                    _mode = _poweredOn ? (byte)0 : _mode;
                    break;
                case 0x10 or 0x11 or 0x13 or 0x20 or 0x21 or 0x23:
                    _mode = instruction;
                    _poweredOn = true;
                    break;
                case >= 0x40 and <= 0x47:
                    _mtreg = (_mtreg & 0x1F) | ((instruction & 0x07) << 5);
                    break;
                case >= 0x60 and <= 0x7F:
                    _mtreg = (_mtreg & 0xE0) | (instruction & 0x1F);
                    break;
                default:
                    throw new IOException("Error 121 (Remote I/O error) performing I2C data transfer.");
            }
        }
    }

    protected override void OnRead(Span<byte> buffer)
    {
        ushort count = RawCount ?? Count();
        if (buffer.Length > 0)
        {
            buffer[0] = (byte)(count >> 8);
        }

        if (buffer.Length > 1)
        {
            buffer[1] = (byte)count;
        }

        if (_mode is 0x20 or 0x21 or 0x23)
        {
            _poweredOn = false;
        }
    }

    private ushort Count()
    {
        if (_mode == 0)
        {
            return 0;
        }

        double perLux = 1.2 * _mtreg / 69.0 * (_mode is 0x11 or 0x21 ? 2 : 1);
        return (ushort)Math.Clamp(Math.Round(Illuminance * perLux), 0, 65535);
    }
}
