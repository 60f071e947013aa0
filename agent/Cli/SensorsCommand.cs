using System.CommandLine;
using System.Globalization;
using Diode.Edge.Sensors.Hardware;
using Diode.Edge.Sensors.Scan;

namespace Diode.Edge.Agent.Cli;

/// <summary><c>diode-edge sensors scan [--bus N]</c>: finds the supported I2C chips and prints a config snippet for them.</summary>
internal static class SensorsCommand
{
    public static Command Build(Func<ISensorHardware> hardware)
    {
        var busOption = new Option<int?>("--bus", "-b") { Description = "Scan only this I2C bus (default: every /dev/i2c-N)", HelpName = "N" };
        var scan = new Command("scan", "Probe the I2C buses for the chips diode-edge reads (by chip id where the chip has one), print what was found and a config snippet to paste into the \"sensors\" list.");
        scan.Options.Add(busOption);
        scan.SetAction(result =>
        {
            var source = hardware();
            try
            {
                return Execute(source, result.GetValue(busOption), Console.Out, Console.Error);
            }
            finally
            {
                (source as IDisposable)?.Dispose();
            }
        });
        var sensors = new Command("sensors", "The sensors attached to this board.");
        sensors.Subcommands.Add(scan);
        return sensors;
    }

    /// <summary>Scans and prints; exit 0 when something was found, 1 when nothing, 69 when there is no bus to scan.</summary>
    public static int Execute(ISensorHardware hardware, int? bus, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var present = hardware.I2cBuses();
        if (bus is { } wanted ? !present.Contains(wanted) : present.Count == 0)
        {
            string which = bus is { } b ? $"/dev/i2c-{b} does not exist" + (present.Count > 0 ? $" (buses present: {string.Join(", ", present)})" : string.Empty) : "no I2C bus (/dev/i2c-N) exists";
            error.WriteLine($"sensors scan: {which}. To enable I2C on a Raspberry Pi: sudo raspi-config nonint do_i2c 0 (or install.sh --enable-i2c), then reboot.");
            return ExitCodes.Unavailable;
        }

        IReadOnlyList<ScanFinding> findings;
        try
        {
            findings = new I2cScanner(hardware).Scan(bus);
        }
        catch (global::Diode.Edge.Sensors.SensorStartException ex)
        {
            error.WriteLine("sensors scan: " + ex.Message);
            return ExitCodes.Unavailable;
        }

        string scanned = bus is { } one ? $"bus {one}" : $"buses {string.Join(", ", present)}";
        if (findings.Count == 0)
        {
            output.WriteLine($"No supported chip answered on {scanned}. Check the wiring (SDA to GPIO2, SCL to GPIO3, 3V3, GND) and see what answers with: i2cdetect -y 1");
            return ExitCodes.Failure;
        }

        output.WriteLine($"Found on {scanned}:");
        output.WriteLine($"  {"BUS",-4} {"ADDRESS",-8} {"CHIP",-10} HOW");
        foreach (var f in findings)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {f.Bus,-4} 0x{f.Address:x2}     {f.Type ?? "unknown",-10} {f.Evidence}{(f.Guess ? " (a guess)" : string.Empty)}"));
        }

        var usable = findings.Where(f => f.Type is not null).ToList();
        bool manyBuses = usable.Select(f => f.Bus).Distinct().Count() > 1;
        output.WriteLine();
        output.WriteLine("Paste into the \"sensors\" list of /etc/diode-edge/config.json (then: sudo systemctl restart diode-edge):");
        output.WriteLine("\"sensors\": [");
        for (int i = 0; i < usable.Count; i++)
        {
            var f = usable[i];
            string name = string.Create(CultureInfo.InvariantCulture, $"{f.Type}{(manyBuses ? $"-{f.Bus}" : string.Empty)}-{f.Address:x2}");
            string line = string.Create(CultureInfo.InvariantCulture, $"  {{ \"type\": \"{f.Type}\", \"name\": \"{name}\", \"bus\": {f.Bus}, \"address\": \"0x{f.Address:x2}\", \"interval\": \"5s\" }}");
            output.WriteLine(line + (i < usable.Count - 1 ? "," : string.Empty) + (f.Guess ? "  // a guess: check the chip's markings" : string.Empty));
        }

        output.WriteLine("]");
        return ExitCodes.Ok;
    }
}
