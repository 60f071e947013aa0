using Diode.Edge.Sensors;
using Diode.Edge.Sensors.Hardware;
using Diode.Edge.Tests.Support;
using Diode.Edge.Tests.Support.Hardware;

namespace Diode.Edge.Tests.Sensors.Devices;

/// <summary>The I2C sensor types through their real dotnet/iot bindings, against chips that answer like their datasheets.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class I2cSensorTests
{
    private static readonly Bmx280Calibration s_calibration = Bmx280Calibration.DatasheetExample;

    [Fact]
    public async Task Bme280_returns_the_datasheet_example_values()
    {
        var hardware = new EmulatedHardware(1);
        var chip = hardware.Plant(1, 0x76, Bmx280Chip.Bme280(s_calibration));

        var reading = await ReadOnceAsync(hardware, new SensorOptions { Type = "bme280", Name = "env", Bus = 1, Address = "0x76" });

        // BMP280 datasheet §8.2 worked example: adc_T 519888 → 25.08 °C; adc_P 415148 → 100653.27 Pa.
        Assert.Equal(25.08, Value(reading, "temperature"), 2);
        Assert.Equal(1006.53, Value(reading, "pressure"), 2);
        var (celsius, tFine) = BoschCompensation.Temperature(s_calibration, chip.AdcTemperature);
        Assert.Equal(128422, tFine);
        Assert.Equal(celsius, Value(reading, "temperature"), 2);
        Assert.Equal(BoschCompensation.Pressure(s_calibration, chip.AdcPressure, tFine) / 100, Value(reading, "pressure"), 2);
        Assert.InRange(Value(reading, "relative_humidity") - BoschCompensation.Humidity(s_calibration, chip.AdcHumidity, tFine), -0.01, 0.01);

        // Forced mode with the datasheet's weather-monitoring settings: one measurement, x1 oversampling, back to sleep.
        Assert.Equal(1, chip.Measurements);
        Assert.Equal(0b001_001_00, chip.Peek(0xF4));
        Assert.Equal(0b001, chip.Peek(0xF2));
        Assert.Equal(["temperature", "relative_humidity", "pressure"], reading.Measurements.Select(m => m.Quantity.Name));
        Assert.Equal(["Cel", "%", "hPa"], reading.Measurements.Select(m => m.Quantity.Unit));
    }

    [Theory]
    [InlineData(400000, 300000, 20000)]
    [InlineData(600000, 500000, 45000)]
    [InlineData(350000, 380000, 10000)]
    public async Task Bme280_follows_the_datasheet_compensation_across_the_range(int adcT, int adcP, int adcH)
    {
        var hardware = new EmulatedHardware(1);
        var chip = hardware.Plant(1, 0x77, Bmx280Chip.Bme280(s_calibration));
        chip.AdcTemperature = adcT;
        chip.AdcPressure = adcP;
        chip.AdcHumidity = adcH;

        var reading = await ReadOnceAsync(hardware, new SensorOptions { Type = "bme280", Name = "env", Bus = 1, Address = "0x77" });

        var (celsius, tFine) = BoschCompensation.Temperature(s_calibration, adcT);
        Assert.Equal(celsius, Value(reading, "temperature"), 2);
        Assert.InRange(Value(reading, "pressure") - BoschCompensation.Pressure(s_calibration, adcP, tFine) / 100, -0.011, 0.011);
        Assert.InRange(Value(reading, "relative_humidity") - BoschCompensation.Humidity(s_calibration, adcH, tFine), -0.011, 0.011);
    }

    [Fact]
    public async Task Bmp280_reads_temperature_and_pressure_only()
    {
        var hardware = new EmulatedHardware(1);
        hardware.Plant(1, 0x76, Bmx280Chip.Bmp280(s_calibration));

        var reading = await ReadOnceAsync(hardware, new SensorOptions { Type = "bmp280", Name = "baro", Bus = 1 });

        Assert.Equal(["temperature", "pressure"], reading.Measurements.Select(m => m.Quantity.Name));
        Assert.Equal(25.08, Value(reading, "temperature"), 2);
        Assert.Equal(1006.53, Value(reading, "pressure"), 2);
    }

    [Fact]
    public async Task Bme680_follows_the_datasheet_compensation_including_the_gas_resistance()
    {
        var calibration = Bme680Calibration.Typical;
        var hardware = new EmulatedHardware(1);
        var chip = hardware.Plant(1, 0x77, new Bme680Chip(calibration));

        var reading = await ReadOnceAsync(hardware, new SensorOptions { Type = "bme680", Name = "air", Bus = 1, Address = "0x77" });

        var (celsius, tFine) = Bme680Datasheet.Temperature(calibration, chip.AdcTemperature);
        Assert.Equal(Math.Round(celsius, 2), Value(reading, "temperature"), 6);
        Assert.InRange(Value(reading, "pressure") - Bme680Datasheet.Pressure(calibration, chip.AdcPressure, tFine) / 100, -0.0051, 0.0051);
        Assert.InRange(Value(reading, "relative_humidity") - Bme680Datasheet.Humidity(calibration, chip.AdcHumidity, celsius), -0.0051, 0.0051);
        Assert.InRange(Value(reading, "gas_resistance") - Bme680Datasheet.GasResistance(calibration, chip.AdcGas, chip.GasRange), -0.51, 0.51);
        Assert.Equal("Ohm", reading.Measurements.Single(m => m.Quantity.Name == "gas_resistance").Quantity.Unit);
        Assert.InRange(celsius, 0, 40);
        Assert.InRange(Value(reading, "pressure"), 800, 1100);
        Assert.InRange(Value(reading, "relative_humidity"), 1, 99);
    }

    [Fact]
    public async Task A_chip_of_another_type_is_refused_with_what_it_is()
    {
        var hardware = new EmulatedHardware(1);
        hardware.Plant(1, 0x76, Bmx280Chip.Bmp280(s_calibration));

        var error = await Assert.ThrowsAsync<SensorStartException>(() => StartAsync(hardware, new SensorOptions { Type = "bme280", Name = "env", Bus = 1 }));

        Assert.Contains("0x76 on I2C bus 1 is not the configured type", error.Message, StringComparison.Ordinal);
        Assert.Contains("Found one with id 88", error.Message, StringComparison.Ordinal);
        Assert.Contains("sensors scan", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_chip_at_the_address_says_to_check_the_wiring()
    {
        var hardware = new EmulatedHardware(1);

        var error = await Assert.ThrowsAsync<SensorStartException>(() => StartAsync(hardware, new SensorOptions { Type = "sht3x", Name = "air", Bus = 1 }));

        Assert.StartsWith("no device answers at 0x44 on I2C bus 1 (Error 121 (Remote I/O error)", error.Message, StringComparison.Ordinal);
        Assert.Contains("check the wiring (SDA, SCL, 3V3, GND)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_i2c_bus_says_how_to_enable_it()
    {
        using var dev = new TempDirectory();

        var error = Assert.Throws<SensorStartException>(() => new LinuxSensorHardware(dev.Path).OpenI2c(1, 0x76));

        Assert.Contains("i2c-1 does not exist (no I2C bus is enabled)", error.Message, StringComparison.Ordinal);
        Assert.Contains("sudo raspi-config nonint do_i2c 0", error.Message, StringComparison.Ordinal);
        dev.File("i2c-3", string.Empty);
        error = Assert.Throws<SensorStartException>(() => new LinuxSensorHardware(dev.Path).OpenI2c(2, 0x76));
        Assert.Contains("buses present: 3", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(23.5, 41.2)]
    [InlineData(-10.25, 95.5)]
    [InlineData(60.0, 3.0)]
    public async Task Sht3x_returns_the_datasheet_conversion_of_the_raw_words(double celsius, double percent)
    {
        var hardware = new EmulatedHardware(1);
        var chip = hardware.Plant(1, 0x44, new Sht3xChip { Temperature = celsius, Humidity = percent });

        var reading = await ReadOnceAsync(hardware, new SensorOptions { Type = "sht3x", Name = "air", Bus = 1 });

        // Datasheet §4.13: T = -45 + 175·S_T/65535, RH = 100·S_RH/65535; the binding rounds to 0.1.
        Assert.Equal(Math.Round(-45 + 175.0 * Sht3xChip.RawTemperature(celsius) / 65535, 1), Value(reading, "temperature"), 6);
        Assert.Equal(Math.Round(100.0 * Sht3xChip.RawHumidity(percent) / 65535, 1), Value(reading, "relative_humidity"), 6);
        Assert.Equal(celsius, Value(reading, "temperature"), 0.06);
        Assert.Equal(2, chip.Measurements);
    }

    [Fact]
    public async Task Sht3x_with_a_bad_crc_fails_the_read_instead_of_repeating_the_last_value()
    {
        var hardware = new EmulatedHardware(1);
        var chip = hardware.Plant(1, 0x44, new Sht3xChip { Temperature = 20, Humidity = 50 });
        using var sensor = new SensorFactory(TimeProvider.System, hardware).Create(new SensorOptions { Type = "sht3x", Name = "air", Bus = 1 });
        await sensor.StartAsync(CancellationToken.None);
        Assert.Equal(20, (await sensor.ReadAsync(CancellationToken.None)).Measurements[0].Value, 0.06);

        chip.Temperature = 30;
        chip.Fault = I2cFault.Corrupt;
        var error = await Assert.ThrowsAsync<IOException>(async () => await sensor.ReadAsync(CancellationToken.None));
        Assert.Contains("SHT3x CRC mismatch at 0x44 on I2C bus 1", error.Message, StringComparison.Ordinal);

        chip.Fault = I2cFault.None;
        Assert.Equal(30, (await sensor.ReadAsync(CancellationToken.None)).Measurements[0].Value, 0.06);
    }

    [Fact]
    public async Task Bh1750_returns_the_datasheet_example_and_follows_the_measurement_time()
    {
        var hardware = new EmulatedHardware(1);
        var chip = hardware.Plant(1, 0x23, new Bh1750Chip { RawCount = 0x8390 });

        var reading = await ReadOnceAsync(hardware, new SensorOptions { Type = "bh1750", Name = "light", Bus = 1 });

        // Datasheet p.7: count 1000_0011_1001_0000 → (2^15 + 2^9 + 2^8 + 2^7 + 2^4) / 1.2 ≈ 28067 lx.
        Assert.Equal(28066.67, Value(reading, "illuminance"), 2);
        Assert.Equal(69, chip.MeasurementTime);

        chip.RawCount = null;
        chip.Illuminance = 512.5;
        reading = await ReadOnceAsync(hardware, new SensorOptions { Type = "bh1750", Name = "light", Bus = 1 });
        Assert.Equal(Math.Round(Math.Round(512.5 * 1.2) / 1.2, 2), Value(reading, "illuminance"), 2);
        Assert.Equal("lx", reading.Measurements[0].Quantity.Unit);
    }

    [Fact]
    public async Task Ads1115_converts_each_channel_at_its_own_range()
    {
        var hardware = new EmulatedHardware(1);
        var chip = hardware.Plant(1, 0x48, new Ads1115Chip());
        chip.Inputs[0] = 3.3;
        chip.Inputs[1] = 0.1234;
        chip.Inputs[2] = 1.5;
        chip.Inputs[3] = 0.0;
        var options = new SensorOptions
        {
            Type = "ads1115",
            Name = "adc",
            Bus = 1,
            Channels =
            [
                new AdcChannelOptions { Input = "A0", Range = 4.096, Name = "supply" },
                new AdcChannelOptions { Input = "A1", Range = 0.256 },
                new AdcChannelOptions { Input = "A2-A3", Range = 2.048 },
                new AdcChannelOptions { Input = "A0", Range = 2.048, Name = "clipped" },
            ],
        };

        var reading = await ReadOnceAsync(hardware, options);

        // Datasheet §9.3.3: code = V / FSR · 2^15 (LSB = FSR / 2^15), clipped at full scale.
        Assert.Equal(["supply", "voltage_a1", "voltage_a2_a3", "clipped"], reading.Measurements.Select(m => m.Quantity.Name));
        Assert.All(reading.Measurements, m => Assert.Equal("V", m.Quantity.Unit));
        Assert.Equal(Ads1115Chip.Code(3.3, 4.096) * 4.096 / 32768, Value(reading, "supply"), 5);
        Assert.Equal(3.3, Value(reading, "supply"), 0.000125);
        Assert.Equal(0.1234, Value(reading, "voltage_a1"), 0.0000079);
        Assert.Equal(1.5, Value(reading, "voltage_a2_a3"), 0.0000625);
        Assert.Equal(32767 * 2.048 / 32768, Value(reading, "clipped"), 5);
        Assert.True(chip.Conversions >= 4);
    }

    private static double Value(Reading reading, string quantity) => reading.Measurements.Single(m => m.Quantity.Name == quantity).Value;

    private static async Task StartAsync(EmulatedHardware hardware, SensorOptions options)
    {
        using var sensor = new SensorFactory(TimeProvider.System, hardware).Create(options);
        await sensor.StartAsync(CancellationToken.None);
    }

    private static async Task<Reading> ReadOnceAsync(EmulatedHardware hardware, SensorOptions options)
    {
        using var sensor = new SensorFactory(TimeProvider.System, hardware).Create(options);
        await sensor.StartAsync(CancellationToken.None);
        return await sensor.ReadAsync(CancellationToken.None);
    }
}
