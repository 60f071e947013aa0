namespace Diode.Edge.Sensors.Devices;

/// <summary>The <c>cpu-temperature</c> type: the SoC temperature from sysfs, read by <see cref="CpuTemperatureSensor"/>.</summary>
internal static class CpuTemperatureDescriptor
{
    public static SensorDescriptor Instance { get; } = new()
    {
        Type = "cpu-temperature",
        Bus = SensorBus.Sysfs,
        Quantities = _ => CpuTemperatureSensor.Publishes,
        Create = c => new CpuTemperatureSensor(c.Name, c.Time),
    };
}
