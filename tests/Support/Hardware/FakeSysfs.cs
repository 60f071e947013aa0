using System.Globalization;
using System.Text;

namespace Diode.Edge.Tests.Support.Hardware;

/// <summary>
/// The parts of sysfs the 1-Wire and SoC-temperature bindings read, laid out and worded as the kernel does (w1 bus
/// master with w1_master_slaves, w1_therm's two-line w1_slave with the scratchpad, its CRC and t=; thermal_zone0/temp
/// in m°C), in a directory that <see cref="SysfsNamespace"/> mounts over /sys for one child process.
/// </summary>
public sealed class FakeSysfs : IDisposable
{
    private readonly TempDirectory _root = new();

    public FakeSysfs()
    {
        Directory.CreateDirectory(Devices);
        Directory.CreateDirectory(Path.Combine(Devices, "system"));
        Directory.CreateDirectory(Bus);
        Directory.CreateDirectory(Class);
    }

    /// <summary>Mounted over /sys/devices (the real /sys/devices/system is bound back inside it).</summary>
    public string Devices => Path.Combine(_root.Path, "devices");

    /// <summary>Mounted over /sys/bus.</summary>
    public string Bus => Path.Combine(_root.Path, "bus");

    /// <summary>Mounted over /sys/class.</summary>
    public string Class => Path.Combine(_root.Path, "class");

    /// <summary>Adds the w1-gpio bus master and DS18B20s with these ids and temperatures.</summary>
    public void AddOneWireBus(IReadOnlyDictionary<string, double> thermometers)
    {
        ArgumentNullException.ThrowIfNull(thermometers);
        string master = Path.Combine(Devices, "w1_bus_master1");
        Directory.CreateDirectory(master);
        Directory.CreateDirectory(Path.Combine(Bus, "w1", "devices", "w1_bus_master1"));
        File.WriteAllText(Path.Combine(master, "w1_master_slaves"), string.Concat(thermometers.Keys.Select(id => id + "\n")));
        foreach (var (id, celsius) in thermometers)
        {
            Directory.CreateDirectory(Path.Combine(master, id));
            Directory.CreateDirectory(Path.Combine(Bus, "w1", "devices", id));
            SetThermometer(id, celsius);
        }
    }

    /// <summary>What the next read of the probe returns; <paramref name="crcOk"/> false is a read the kernel found corrupt.</summary>
    public void SetThermometer(string id, double celsius, bool crcOk = true)
    {
        File.WriteAllText(Path.Combine(Devices, "w1_bus_master1", id, "w1_slave"), W1Slave(celsius, crcOk));
    }

    public void SetSocTemperature(double celsius)
    {
        string zone = Path.Combine(Class, "thermal", "thermal_zone0");
        Directory.CreateDirectory(zone);
        File.WriteAllText(Path.Combine(zone, "type"), "cpu-thermal\n");
        File.WriteAllText(Path.Combine(zone, "temp"), ((int)Math.Round(celsius * 1000)).ToString(CultureInfo.InvariantCulture) + "\n");
    }

    /// <summary>w1_therm's output for a DS18B20 at 12-bit resolution (raw = °C·16, t = raw·1000/16).</summary>
    public static string W1Slave(double celsius, bool crcOk)
    {
        short raw = (short)Math.Round(celsius * 16);
        byte[] pad = [(byte)raw, (byte)(raw >> 8), 0x4B, 0x46, 0x7F, 0xFF, (byte)(0x10 - (raw & 0x0F)), 0x10, 0];
        pad[8] = DallasCrc8(pad.AsSpan(0, 8));
        if (!crcOk)
        {
            pad[1] ^= 0x04;
        }

        string bytes = string.Join(' ', pad.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{bytes} : crc={pad[8]:x2} {(crcOk ? "YES" : "NO")}\n");
        text.Append(CultureInfo.InvariantCulture, $"{bytes} t={raw * 1000 / 16}\n");
        return text.ToString();
    }

    public void Dispose() => _root.Dispose();

    /// <summary>The Dallas/Maxim 1-Wire CRC-8 (x^8 + x^5 + x^4 + 1, reflected).</summary>
    private static byte DallasCrc8(ReadOnlySpan<byte> data)
    {
        byte crc = 0;
        foreach (byte b in data)
        {
            byte x = b;
            for (int i = 0; i < 8; i++)
            {
                bool mix = ((crc ^ x) & 1) != 0;
                crc >>= 1;
                if (mix)
                {
                    crc ^= 0x8C;
                }

                x >>= 1;
            }
        }

        return crc;
    }
}
