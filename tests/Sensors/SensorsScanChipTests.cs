using Diode.Edge.Agent.Cli;
using Diode.Edge.Tests.Support;
using Diode.Edge.Tests.Support.Hardware;

namespace Diode.Edge.Tests.Sensors;

/// <summary><c>sensors scan</c> in-process over emulated hardware: a chip of unknown id is reported without a config line.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class SensorsScanChipTests
{
    [Fact]
    public void Scan_of_one_bus_with_a_chip_of_unknown_id_reports_it_without_a_config_line()
    {
        var hardware = new EmulatedHardware(1);
        hardware.Plant(1, 0x77, new Bmx280Chip(0x42, Bmx280Calibration.DatasheetExample));
        using var output = new StringWriter();

        int code = SensorsCommand.Execute(hardware, 1, output, TextWriter.Null);

        Assert.Equal(0, code);
        Assert.Contains("0x77     unknown    chip id 0xD0 = 0x42", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"type\"", output.ToString(), StringComparison.Ordinal);
    }
}
