using System.Globalization;
using System.Text;
using Diode.Edge.Tests.Sensors.Devices;
using Diode.Edge.Tests.Support.Hardware;

namespace Diode.Edge.Tests.Vm;

/// <summary>
/// The BME280 register map (chip id, trimming parameters, one measurement) as busybox i2cset commands that load it
/// into the kernel's i2c-stub chip, and the values the datasheet's compensation formulas give for it.
/// </summary>
internal static class Bme280OnI2cStub
{
    public const int AdcTemperature = 519888;
    public const int AdcPressure = 415148;
    public const int AdcHumidity = 30000;

    public static Bmx280Calibration Calibration => Bmx280Calibration.DatasheetExample;

    /// <summary>Commands for bus <paramref name="bus"/>, address 0x76: I2C block writes of at most 32 bytes.</summary>
    public static IReadOnlyList<string> Commands(int bus)
    {
        var chip = Bmx280Chip.Bme280(Calibration);
        var map = new byte[256];
        for (int register = 0; register < 256; register++)
        {
            map[register] = chip.Peek((byte)register);
        }

        // The data registers as a finished forced measurement leaves them (datasheet §5.4.7–5.4.9): 20-bit pressure and
        // temperature MSB first with the low nibble in bits 7:4 of xlsb, 16-bit humidity MSB first.
        Adc20(map, 0xF7, AdcPressure);
        Adc20(map, 0xFA, AdcTemperature);
        map[0xFD] = AdcHumidity >> 8;
        map[0xFE] = AdcHumidity & 0xFF;
        map[0xF3] = 0; // status: not measuring, no NVM copy

        return [Block(bus, map, 0x88, 26), Block(bus, map, 0xD0, 1), Block(bus, map, 0xE1, 7), Block(bus, map, 0xF2, 13)];
    }

    public static (double Celsius, double RelativeHumidity, double Hectopascals) Expected()
    {
        var (celsius, tFine) = BoschCompensation.Temperature(Calibration, AdcTemperature);
        return (celsius, BoschCompensation.Humidity(Calibration, AdcHumidity, tFine), BoschCompensation.Pressure(Calibration, AdcPressure, tFine) / 100);
    }

    private static void Adc20(byte[] map, int address, int value)
    {
        map[address] = (byte)(value >> 12);
        map[address + 1] = (byte)(value >> 4);
        map[address + 2] = (byte)((value & 0x0F) << 4);
    }

    private static string Block(int bus, byte[] map, int start, int length)
    {
        var command = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"i2cset -y {bus} 0x76 0x{start:x2}"));
        for (int i = 0; i < length; i++)
        {
            command.Append(CultureInfo.InvariantCulture, $" 0x{map[start + i]:x2}");
        }

        return command.Append(length == 1 ? " b" : " i").ToString();
    }
}
