using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support.Hardware;

namespace Diode.Edge.Tests.Sensors;

/// <summary>The sensor catalog: one descriptor per type, consistent with itself and with what the type lists said before it.</summary>
[Trait("Tier", "Unit")]
public sealed class SensorCatalogTests
{
    [Fact]
    public void Known_types_keep_the_order_the_messages_list_them_in()
    {
        string[] before = ["bme280", "bmp280", "bme680", "sht3x", "bh1750", "ads1115", "dht22", "ds18b20", "cpu-temperature", "gpio-input", "simulated"];

        Assert.Equal(before, SensorFactory.KnownTypes);
        Assert.Equal(before, SensorCatalog.All.Select(d => d.Type));
        Assert.Equal(["bme280", "bmp280", "bme680", "sht3x", "bh1750", "ads1115"], SensorFactory.I2cTypes);
        Assert.Equal(["dht22", "gpio-input"], SensorFactory.GpioTypes);
    }

    [Fact]
    public void Type_names_are_unique_and_found_by_name()
    {
        Assert.Equal(SensorCatalog.All.Count, SensorCatalog.All.Select(d => d.Type).Distinct(StringComparer.Ordinal).Count());
        foreach (var descriptor in SensorCatalog.All)
        {
            Assert.Same(descriptor, SensorCatalog.Find(descriptor.Type));
        }

        Assert.Null(SensorCatalog.Find("BME280"));
        Assert.Null(SensorCatalog.Find(null));
    }

    [Fact]
    public void Every_i2c_type_has_a_default_address_among_those_a_scan_probes_and_no_other_type_has_one()
    {
        foreach (var descriptor in SensorCatalog.All)
        {
            if (descriptor.Bus == SensorBus.I2c)
            {
                Assert.True(descriptor.DefaultAddress is >= 0x03 and <= 0x77, descriptor.Type);
                Assert.NotNull(descriptor.Signature);
                Assert.Contains(descriptor.DefaultAddress!.Value, descriptor.Signature!.Addresses);
                Assert.All(descriptor.Signature.Addresses, a => Assert.InRange(a, 0x03, 0x77));
                Assert.True(descriptor.Signature.ChipIdRegister is not null ^ descriptor.Signature.Probe is not null, descriptor.Type);
                Assert.Equal(descriptor.DefaultAddress, SensorFactory.DefaultAddress(descriptor.Type));
            }
            else
            {
                Assert.Null(descriptor.DefaultAddress);
                Assert.Null(descriptor.Signature);
                Assert.Throws<ArgumentException>(() => SensorFactory.DefaultAddress(descriptor.Type));
            }
        }

        Assert.Equal(0x76, SensorFactory.DefaultAddress("bme280"));
        Assert.Equal(0x76, SensorFactory.DefaultAddress("bmp280"));
        Assert.Equal(0x76, SensorFactory.DefaultAddress("bme680"));
        Assert.Equal(0x44, SensorFactory.DefaultAddress("sht3x"));
        Assert.Equal(0x23, SensorFactory.DefaultAddress("bh1750"));
        Assert.Equal(0x48, SensorFactory.DefaultAddress("ads1115"));
    }

    [Fact]
    public void Types_sharing_a_chip_id_register_have_different_chip_ids()
    {
        var chipIds = SensorCatalog.All
            .Where(d => d.Signature?.ChipIdRegister is not null)
            .SelectMany(d => d.Signature!.ChipIds.Select(id => (Register: d.Signature.ChipIdRegister!.Value, Id: id)))
            .ToList();

        Assert.NotEmpty(chipIds);
        Assert.Equal(chipIds.Count, chipIds.Distinct().Count());
    }

    [Fact]
    public void Every_type_builds_a_sensor_on_emulated_hardware_publishing_its_declared_quantities()
    {
        var hardware = new EmulatedHardware(1);
        var factory = new SensorFactory(TimeProvider.System, hardware);
        foreach (var descriptor in SensorCatalog.All)
        {
            var options = new SensorOptions { Type = descriptor.Type, Name = "x", Pin = descriptor.Bus == SensorBus.Gpio ? 4 : null };

            using var sensor = factory.Create(options);

            Assert.NotNull(sensor);
            Assert.Equal(descriptor.Quantities(options), sensor.Quantities);
            Assert.Equal(descriptor.Quantities(options), SensorFactory.QuantitiesOf(options));
        }
    }

    [Fact]
    public void A_gpio_type_without_a_pin_and_an_unknown_type_fail_with_the_messages_they_had()
    {
        var factory = new SensorFactory(TimeProvider.System, new EmulatedHardware(1));

        var noPin = Assert.Throws<SensorStartException>(() => factory.Create(new SensorOptions { Type = "dht22", Name = "shed" }));
        var unknown = Assert.Throws<SensorStartException>(() => factory.Create(new SensorOptions { Type = "bme281", Name = "x" }));

        Assert.Equal("sensor shed (dht22) needs a \"pin\" (BCM GPIO number)", noPin.Message);
        Assert.Equal("unknown sensor type \"bme281\" (known: bme280, bmp280, bme680, sht3x, bh1750, ads1115, dht22, ds18b20, cpu-temperature, gpio-input, simulated)", unknown.Message);
        Assert.Empty(SensorFactory.QuantitiesOf(new SensorOptions { Type = "bme281" }));
    }

    [Fact]
    public void Only_gpio_input_states_are_binary_sensors_in_home_assistant()
    {
        Assert.Equal(["gpio-input"], SensorCatalog.All.Where(d => d.BinaryStates).Select(d => d.Type));
    }
}
