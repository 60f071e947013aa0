using Diode.Edge.Agent.Cli;
using Diode.Edge.Tests.Support;
using Diode.Edge.Tests.Support.Hardware;

namespace Diode.Edge.Tests.Sensors;

/// <summary><c>diode-edge sensors scan</c> against emulated buses with planted chips, with the real executable where the user runs it (the rest in-process: <see cref="SensorsScanChipTests"/>).</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class SensorsScanTests
{
    [Fact]
    public async Task Scan_finds_the_planted_chips_and_prints_a_config_that_config_check_accepts()
    {
        var hardware = new EmulatedHardware(1, 3);
        hardware.Plant(1, 0x76, Bmx280Chip.Bme280(Bmx280Calibration.DatasheetExample));
        hardware.Plant(1, 0x77, Bmx280Chip.Bmp280(Bmx280Calibration.DatasheetExample));
        hardware.Plant(1, 0x44, new Sht3xChip());
        hardware.Plant(1, 0x23, new Bh1750Chip());
        hardware.Plant(3, 0x48, new Ads1115Chip());
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = SensorsCommand.Execute(hardware, null, output, error);

        string text = output.ToString();
        Assert.Equal(0, code);
        Assert.Contains("1    0x76     bme280     chip id 0xD0 = 0x60", text, StringComparison.Ordinal);
        Assert.Contains("1    0x77     bmp280     chip id 0xD0 = 0x58", text, StringComparison.Ordinal);
        Assert.Contains("1    0x44     sht3x      status word with a valid CRC", text, StringComparison.Ordinal);
        Assert.Contains("1    0x23     bh1750     acknowledges at a BH1750 address (it has no id register) (a guess)", text, StringComparison.Ordinal);
        Assert.Contains("3    0x48     ads1115    Lo/Hi_thresh = 0x8000/0x7FFF (reset values)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("0x45", text, StringComparison.Ordinal);

        // The snippet, pasted into a config, passes `config check` of the real executable.
        string snippet = text[text.IndexOf("\"sensors\": [", StringComparison.Ordinal)..].Trim();
        using var dir = new TempDirectory();
        dir.File("config.json", "{\n  \"diode\": { \"enabled\": false },\n  " + snippet + "\n}\n");
        var (checkCode, stdout, stderr) = await AgentProcess.RunAsync(dir.Path, null, "config", "check", "--config", "config.json");
        Assert.True(checkCode == 0, stderr);
        Assert.Contains("\"name\": \"bme280-1-76\"", stdout, StringComparison.Ordinal);
        Assert.Contains("\"name\": \"ads1115-3-48\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_without_an_i2c_bus_says_how_to_enable_one()
    {
        using var dir = new TempDirectory();

        var (code, _, stderr) = await AgentProcess.RunAsync(dir.Path, null, "sensors", "scan", "--bus", "42");

        Assert.Equal(69, code);
        Assert.Contains("/dev/i2c-42 does not exist", stderr, StringComparison.Ordinal);
        Assert.Contains("raspi-config nonint do_i2c 0", stderr, StringComparison.Ordinal);
    }
}
