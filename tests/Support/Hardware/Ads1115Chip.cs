using System.Buffers.Binary;
using System.Diagnostics;

namespace Diode.Edge.Tests.Support.Hardware;

/// <summary>
/// A TI ADS1115 as its datasheet describes it: an address-pointer register selects conversion (0), config (1, reset
/// value 0x8583), Lo_thresh (2, 0x8000) and Hi_thresh (3, 0x7FFF); writes are [pointer] or [pointer, MSB, LSB], reads
/// return the selected 16-bit register big-endian. Writing OS=1 in single-shot mode starts one conversion of the
/// selected input (MUX) at the selected full-scale range (PGA); OS reads 0 until it completes after 1/DR seconds,
/// then the conversion register holds the two's-complement code V/FSR·2^15, clipped.
/// </summary>
public sealed class Ads1115Chip : EmulatedI2cChip
{
    private static readonly double[] s_fullScale = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256];
    private static readonly int[] s_rates = [8, 16, 32, 64, 128, 250, 475, 860];

    private readonly ushort[] _registers = [0x0000, 0x8583, 0x8000, 0x7FFF];
    private byte _pointer;
    private long _conversionDoneAt = -1;

    /// <summary>The voltages on AIN0..AIN3 against GND.</summary>
    public double[] Inputs { get; } = new double[4];

    public int Conversions { get; private set; }

    /// <summary>The code the datasheet gives for <paramref name="volts"/> at full-scale <paramref name="fullScale"/>.</summary>
    public static short Code(double volts, double fullScale) => (short)Math.Clamp(Math.Round(volts / fullScale * 32768), -32768, 32767);

    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        _pointer = (byte)(data[0] & 0x03);
        if (data.Length < 3)
        {
            return;
        }

        ushort value = BinaryPrimitives.ReadUInt16BigEndian(data[1..]);
        switch (_pointer)
        {
            case 0:
                break;
            case 1:
                // OS reads back as "converting" (0) while a conversion runs; bit 15 written 1 in single-shot starts one.
                _registers[1] = (ushort)(value & 0x7FFF);
                bool singleShot = (value & 0x0100) != 0;
                if ((value & 0x8000) != 0 && singleShot)
                {
                    int rate = s_rates[(value >> 5) & 0x07];
                    _conversionDoneAt = Stopwatch.GetTimestamp() + Stopwatch.Frequency / rate;
                }
                else if (!singleShot)
                {
                    Convert();
                }

                break;
            default:
                _registers[_pointer] = value;
                break;
        }
    }

    protected override void OnRead(Span<byte> buffer)
    {
        if (_conversionDoneAt >= 0 && Stopwatch.GetTimestamp() >= _conversionDoneAt)
        {
            _conversionDoneAt = -1;
            Convert();
        }

        ushort value = _pointer == 1 ? (ushort)(_registers[1] | (_conversionDoneAt < 0 ? 0x8000 : 0)) : _registers[_pointer];
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        bytes[..Math.Min(2, buffer.Length)].CopyTo(buffer);
    }

    private void Convert()
    {
        Conversions++;
        ushort config = _registers[1];
        int mux = (config >> 12) & 0x07;
        double fullScale = s_fullScale[(config >> 9) & 0x07];
        double volts = mux switch
        {
            0 => Inputs[0] - Inputs[1],
            1 => Inputs[0] - Inputs[3],
            2 => Inputs[1] - Inputs[3],
            3 => Inputs[2] - Inputs[3],
            _ => Inputs[mux - 4],
        };
        _registers[0] = (ushort)Code(volts, fullScale);
    }
}
