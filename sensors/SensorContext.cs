using System.Device.Gpio;
using System.Device.I2c;
using Diode.Edge.Sensors.Hardware;

namespace Diode.Edge.Sensors;

/// <summary>What a <see cref="SensorDescriptor.Create"/> gets: the config entry, the clock, and the hardware opened the way the entry says.</summary>
internal sealed class SensorContext(SensorDescriptor descriptor, SensorOptions options, TimeProvider timeProvider, ISensorHardware hardware)
{
    public SensorOptions Options => options;

    /// <summary>The name the sensor reports itself by (the stream id; the type when the entry has none).</summary>
    public string Name => options.Name ?? options.Type ?? "sensor";

    public TimeProvider Time => timeProvider;

    /// <summary>The GPIO controller (shared; not to be disposed).</summary>
    public GpioController Gpio() => hardware.Gpio();

    /// <summary>The entry's <c>pin</c>; throws <see cref="SensorStartException"/> when it has none.</summary>
    public int RequirePin() =>
        options.Pin ?? throw new SensorStartException($"sensor {options.Name} ({options.Type}) needs a \"pin\" (BCM GPIO number)");

    /// <summary>Opens the chip at the entry's <c>bus</c> (default 1) and <c>address</c> (default: the type's).</summary>
    public I2cDevice OpenI2c()
    {
        int address = descriptor.DefaultAddress ?? throw new InvalidOperationException($"{descriptor.Type} is not an I2C sensor type");
        if (options.Address is not null && !SensorFactory.TryParseAddress(options.Address, out address))
        {
            throw new SensorStartException($"\"{options.Address}\" is not an I2C address (0x03 to 0x77)");
        }

        return hardware.OpenI2c(options.Bus ?? 1, address);
    }
}
