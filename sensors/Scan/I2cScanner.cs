using System.Device.I2c;
using System.Globalization;
using Diode.Edge.Sensors.Hardware;

namespace Diode.Edge.Sensors.Scan;

/// <summary>
/// Looks for the chips this agent reads at the addresses they can have, identifying each by what it answers, as its
/// type's <see cref="I2cSignature"/> in <see cref="SensorCatalog"/> says: a chip-id register (one read tells apart the
/// types that share it, e.g. the Bosch chip id at 0xD0), or a probe of the type's own (an SHT3x status word with a valid
/// CRC, the ADS1115's threshold registers at their reset values, a BH1750's acknowledge as a guess). Only reads and
/// register-pointer writes are sent, except the BH1750's harmless power-on.
/// </summary>
public sealed class I2cScanner(ISensorHardware hardware)
{
    /// <summary>What is probed on every bus, in order: each signature's addresses, types sharing a chip-id register once.</summary>
    private static readonly IReadOnlyList<(IReadOnlyList<int> Addresses, Func<I2cDevice, int, int, ScanFinding> Probe)> s_probes = Probes();

    /// <summary>Scans <paramref name="bus"/>, or every bus present.</summary>
    public IReadOnlyList<ScanFinding> Scan(int? bus = null)
    {
        var buses = bus is { } only ? [only] : hardware.I2cBuses();
        var findings = new List<ScanFinding>();
        foreach (int b in buses)
        {
            foreach (var (addresses, probe) in s_probes)
            {
                foreach (int address in addresses)
                {
                    Probe(findings, b, address, probe);
                }
            }
        }

        return findings;
    }

    private static List<(IReadOnlyList<int> Addresses, Func<I2cDevice, int, int, ScanFinding> Probe)> Probes()
    {
        var probes = new List<(IReadOnlyList<int>, Func<I2cDevice, int, int, ScanFinding>)>();
        var chipIdGroups = new List<(byte Register, IReadOnlyList<int> Addresses, List<SensorDescriptor> Types)>();
        foreach (var descriptor in SensorCatalog.All)
        {
            if (descriptor.Signature is not { } signature)
            {
                continue;
            }

            if (signature.ChipIdRegister is { } register)
            {
                var group = chipIdGroups.Find(g => g.Register == register && g.Addresses.SequenceEqual(signature.Addresses));
                if (group.Types is null)
                {
                    group = (register, signature.Addresses, []);
                    chipIdGroups.Add(group);
                    var types = group.Types;
                    probes.Add((signature.Addresses, (device, bus, address) => ProbeChipId(device, bus, address, register, types)));
                }

                group.Types.Add(descriptor);
            }
            else if (signature.Probe is { } identify)
            {
                string type = descriptor.Type;
                probes.Add((signature.Addresses, (device, bus, address) =>
                {
                    var answer = identify(device);
                    return new ScanFinding(bus, address, answer.Recognised ? type : null, answer.Evidence, answer.Guess);
                }));
            }
        }

        return probes;
    }

    private void Probe(List<ScanFinding> findings, int bus, int address, Func<I2cDevice, int, int, ScanFinding> probe)
    {
        using var device = hardware.OpenI2c(bus, address);
        try
        {
            findings.Add(probe(device, bus, address));
        }
        catch (IOException)
        {
            // Nothing acknowledges at this address.
        }
    }

    private static ScanFinding ProbeChipId(I2cDevice device, int bus, int address, byte register, List<SensorDescriptor> types)
    {
        device.WriteByte(register);
        byte id = device.ReadByte();
        string evidence = string.Create(CultureInfo.InvariantCulture, $"chip id 0x{register:X2} = 0x{id:X2}");
        string? type = types.Find(t => t.Signature!.ChipIds.Contains(id))?.Type;
        return new ScanFinding(bus, address, type, evidence, Guess: false);
    }
}
