using System.Device.Gpio;
using System.Device.I2c;

namespace Diode.Edge.Sensors.Hardware;

/// <summary>
/// The one seam between the sensors and the hardware: the bindings get their <see cref="I2cDevice"/> and
/// <see cref="GpioController"/> from here. The agent uses <see cref="LinuxSensorHardware"/>; tests pass emulated chips.
/// </summary>
public interface ISensorHardware
{
    /// <summary>The I2C bus numbers present (for <c>sensors scan</c>), ascending.</summary>
    IReadOnlyList<int> I2cBuses();

    /// <summary>Opens the device at <paramref name="address"/> on bus <paramref name="bus"/>; throws <see cref="SensorStartException"/> saying how to fix a missing bus or a permission problem.</summary>
    I2cDevice OpenI2c(int bus, int address);

    /// <summary>The GPIO controller (shared by all GPIO sensors; the caller must not dispose it).</summary>
    GpioController Gpio();
}
