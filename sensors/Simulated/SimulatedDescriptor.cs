namespace Diode.Edge.Sensors.Simulated;

/// <summary>The <c>simulated</c> type: seeded waveforms from <see cref="SimulatedSensor"/>, no hardware.</summary>
internal static class SimulatedDescriptor
{
    public static SensorDescriptor Instance { get; } = new()
    {
        Type = "simulated",
        Bus = SensorBus.Simulated,
        Quantities = _ => SimulatedSensor.SimulatedQuantities,
        Create = c => new SimulatedSensor(c.Options.Seed, c.Time, c.Options.FailEvery),
        Keys = ["seed", "failEvery"],
    };
}
