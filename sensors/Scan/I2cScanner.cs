using System.Buffers.Binary;
using System.Device.I2c;
using System.Globalization;
using Diode.Edge.Sensors.Devices;
using Diode.Edge.Sensors.Hardware;

namespace Diode.Edge.Sensors.Scan;

/// <summary>
/// Looks for the chips this agent reads at the addresses they can have, identifying each by what it answers: the Bosch
/// chip id register (0xD0), an SHT3x status word with a valid CRC, the ADS1115's threshold registers at their reset
/// values. A BH1750 has no id register: one that acknowledges at 0x23/0x5C is reported as a guess. Only reads and
/// register-pointer writes are sent, except the BH1750's harmless power-on.
/// </summary>
public sealed class I2cScanner(ISensorHardware hardware)
{
    private static readonly int[] s_bosch = [0x76, 0x77];
    private static readonly int[] s_sht3x = [0x44, 0x45];
    private static readonly int[] s_bh1750 = [0x23, 0x5C];
    private static readonly int[] s_ads1115 = [0x48, 0x49, 0x4A, 0x4B];

    /// <summary>Scans <paramref name="bus"/>, or every bus present.</summary>
    public IReadOnlyList<ScanFinding> Scan(int? bus = null)
    {
        var buses = bus is { } only ? [only] : hardware.I2cBuses();
        var findings = new List<ScanFinding>();
        foreach (int b in buses)
        {
            foreach (int address in s_bosch)
            {
                Probe(findings, b, address, ProbeBosch);
            }

            foreach (int address in s_sht3x)
            {
                Probe(findings, b, address, ProbeSht3x);
            }

            foreach (int address in s_bh1750)
            {
                Probe(findings, b, address, ProbeBh1750);
            }

            foreach (int address in s_ads1115)
            {
                Probe(findings, b, address, ProbeAds1115);
            }
        }

        return findings;
    }

    private void Probe(List<ScanFinding> findings, int bus, int address, Func<I2cDevice, int, int, ScanFinding?> probe)
    {
        using var device = hardware.OpenI2c(bus, address);
        try
        {
            if (probe(device, bus, address) is { } finding)
            {
                findings.Add(finding);
            }
        }
        catch (IOException)
        {
            // Nothing acknowledges at this address.
        }
    }

    private static ScanFinding ProbeBosch(I2cDevice device, int bus, int address)
    {
        device.WriteByte(0xD0);
        byte id = device.ReadByte();
        string evidence = string.Create(CultureInfo.InvariantCulture, $"chip id 0xD0 = 0x{id:X2}");
        string? type = id switch
        {
            0x60 => "bme280",
            0x56 or 0x57 or 0x58 => "bmp280",
            0x61 => "bme680",
            _ => null,
        };
        return new ScanFinding(bus, address, type, evidence, Guess: false);
    }

    private static ScanFinding? ProbeSht3x(I2cDevice device, int bus, int address)
    {
        device.Write([0xF3, 0x2D]);
        Span<byte> status = stackalloc byte[3];
        device.Read(status);
        return Sht3xCrcGuard.Crc8(status[..2]) == status[2]
            ? new ScanFinding(bus, address, "sht3x", "status word with a valid CRC", Guess: false)
            : new ScanFinding(bus, address, null, "answers, but not with an SHT3x status word", Guess: false);
    }

    private static ScanFinding ProbeBh1750(I2cDevice device, int bus, int address)
    {
        device.WriteByte(0x01);
        return new ScanFinding(bus, address, "bh1750", "acknowledges at a BH1750 address (it has no id register)", Guess: true);
    }

    private static ScanFinding ProbeAds1115(I2cDevice device, int bus, int address)
    {
        Span<byte> value = stackalloc byte[2];
        device.WriteRead([0x02], value);
        ushort low = BinaryPrimitives.ReadUInt16BigEndian(value);
        device.WriteRead([0x03], value);
        ushort high = BinaryPrimitives.ReadUInt16BigEndian(value);
        bool thresholdsAtReset = low == 0x8000 && high == 0x7FFF;
        return thresholdsAtReset
            ? new ScanFinding(bus, address, "ads1115", "Lo/Hi_thresh = 0x8000/0x7FFF (reset values)", Guess: false)
            : new ScanFinding(bus, address, "ads1115", "acknowledges at an ADS1115 address (thresholds changed, so not confirmed)", Guess: true);
    }
}
