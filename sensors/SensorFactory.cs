using Diode.Edge.Sensors.Simulated;

namespace Diode.Edge.Sensors;

/// <summary>Creates the <see cref="ISensor"/> for a config entry. The one place that knows which types exist.</summary>
public sealed class SensorFactory(TimeProvider timeProvider)
{
    /// <summary>The sensor types this build supports, as written in config.json.</summary>
    public static IReadOnlyList<string> KnownTypes { get; } = ["simulated"];

    /// <summary>The quantities a sensor of this config publishes, known before it starts (for /streams).</summary>
    public static IReadOnlyList<Quantity> QuantitiesOf(SensorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Type switch
        {
            "simulated" => SimulatedSensor.SimulatedQuantities,
            _ => [],
        };
    }

    /// <summary>Creates the sensor; throws <see cref="SensorStartException"/> with an actionable reason when it cannot.</summary>
    public ISensor Create(SensorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Type switch
        {
            "simulated" => new SimulatedSensor(options.Seed, timeProvider, options.FailEvery),
            _ => throw new SensorStartException($"unknown sensor type \"{options.Type}\" (known: {string.Join(", ", KnownTypes)})"),
        };
    }
}
