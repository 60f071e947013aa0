namespace Diode.Edge.Sensors;

/// <summary>How a sensor type is attached to the board; decides the keys it needs (<c>bus</c>/<c>address</c>, <c>pin</c>) and what <c>doctor</c> checks.</summary>
internal enum SensorBus
{
    /// <summary>An I2C chip: takes <c>bus</c> and <c>address</c>.</summary>
    I2c,

    /// <summary>The kernel's w1 driver (1-Wire).</summary>
    OneWire,

    /// <summary>A GPIO pin: needs <c>pin</c>.</summary>
    Gpio,

    /// <summary>A file the kernel provides under /sys.</summary>
    Sysfs,

    /// <summary>No hardware at all.</summary>
    Simulated,
}
