using Diode.Edge.Sensors.Hardware;

namespace Diode.Edge.Sensors.Devices;

/// <summary>
/// Base of the sensors built on a dotnet/iot binding: the binding is created and read on the sensor's own
/// <see cref="DeviceThread"/>, so its blocking I/O and sleeps stay off the thread pool and a hung bus hangs only this sensor.
/// </summary>
public abstract class DeviceSensor : ISensor
{
    private readonly DeviceThread _thread;
    private readonly IDisposable? _device;
    private readonly IReadOnlyList<Quantity> _quantities;
    private IDisposable? _binding;
    private bool _started;

    /// <param name="location">Where the device is, for messages (e.g. "0x76 on I2C bus 1").</param>
    /// <param name="quantities">What every reading carries (a sensor that learns it at start overrides <see cref="Quantities"/>).</param>
    /// <param name="device">The bus device the binding will take over (disposed with the sensor if the binding never got it).</param>
    protected DeviceSensor(string name, string location, IReadOnlyList<Quantity> quantities, TimeProvider timeProvider, IDisposable? device = null)
    {
        TimeProvider = timeProvider;
        Location = location;
        _quantities = quantities;
        _device = device;
        _thread = new DeviceThread("sensor:" + name, timeProvider);
    }

    public virtual IReadOnlyList<Quantity> Quantities => _quantities;

    protected TimeProvider TimeProvider { get; }

    /// <summary>Where the device is, for messages (e.g. "0x76 on I2C bus 1").</summary>
    protected string Location { get; }

    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _thread.RunAsync(() => { Open(); return true; }, cancellationToken).ConfigureAwait(false);
            _started = true;
        }
        catch (IOException ex) when (ex is not SensorBusyException)
        {
            throw new SensorStartException(I2cErrors.Explain(ex, Location), ex);
        }
    }

    public async ValueTask<Reading> ReadAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            throw new InvalidOperationException("the sensor was not started");
        }

        var measurements = await _thread.RunAsync(Read, cancellationToken).ConfigureAwait(false);
        return new Reading(TimeProvider.GetUtcNow(), measurements);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates the binding (it talks to the chip: chip id, calibration). Runs on the device thread.</summary>
    protected abstract void Open();

    /// <summary>Takes one reading through the binding; throws on a fault. Runs on the device thread.</summary>
    protected abstract Measurement[] Read();

    /// <summary>Takes ownership of the binding (which owns the bus device from now on).</summary>
    protected T Own<T>(T binding)
        where T : IDisposable
    {
        _binding = binding;
        return binding;
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _thread.Dispose();
            (_binding ?? _device)?.Dispose();
        }
    }
}
