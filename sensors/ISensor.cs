namespace Diode.Edge.Sensors;

/// <summary>A source of readings. Implementations wrap one device (or a simulation) and are read by one <see cref="SensorLoop"/>.</summary>
public interface ISensor : IDisposable
{
    /// <summary>The quantities every reading carries, in order.</summary>
    IReadOnlyList<Quantity> Quantities { get; }

    /// <summary>Opens the device (chip id, calibration); throws <see cref="SensorStartException"/> with an actionable reason when it cannot.</summary>
    ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Takes one reading. Throws on a device fault; the loop isolates it.</summary>
    ValueTask<Reading> ReadAsync(CancellationToken cancellationToken);
}
