namespace Diode.Edge.Sensors.Devices;

/// <summary>The <c>gpio-input</c> type: a contact or PIR on a GPIO pin, read by <see cref="GpioInputSensor"/> as a 0/1 <c>state</c>.</summary>
internal static class GpioInputDescriptor
{
    public static SensorDescriptor Instance { get; } = new()
    {
        Type = "gpio-input",
        Bus = SensorBus.Gpio,
        Quantities = _ => GpioInputSensor.Publishes,
        Create = c => new GpioInputSensor(c.Gpio(), c.RequirePin(), c.Options.Pull, c.Options.Debounce, c.Time),
        Keys = ["pull", "debounce"],
        Rules = Check,
        BinaryStates = true,
    };

    private static void Check(SensorOptions sensor, SensorOptionsProblems problems)
    {
        if (sensor.Debounce < TimeSpan.Zero || sensor.Debounce > TimeSpan.FromSeconds(10))
        {
            problems.Error("debounce", $"{problems.Format(sensor.Debounce)} is out of range (0 to 10s)");
        }
    }
}
