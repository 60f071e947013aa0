using Diode.Edge.Agent.Streams;
using Diode.Edge.Sensors;
using Diode.Edge.Watchdog;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Diode.Edge.Agent.Hosting;

/// <summary>
/// Starts one <see cref="SensorLoop"/> per configured sensor, each publishing into its own hub stream; a sensor whose
/// settings a deployment changes in place (<see cref="ReconfigureAsync"/>) gets a new loop on the same stream, so its
/// consumers stay connected and its frames go on with the next seq.
/// </summary>
internal sealed class SensorsHostedService : IHostedService, IAsyncDisposable
{
    /// <summary>How long a loop has to stop when its sensor is reconfigured (a read runs to its own timeout at most).</summary>
    private static readonly TimeSpan LoopStopTimeout = TimeSpan.FromSeconds(30);

    private readonly StreamHub _hub;
    private readonly SensorFactory _factory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Heartbeat> _heartbeats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (CancellationTokenSource Stop, Task Running)> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _changing = new(1, 1);
    private SensorLoop[] _loops = [];
    private bool _started;

    public SensorsHostedService(IOptions<IReadOnlyList<SensorOptions>> sensors, StreamHub hub, SensorFactory factory, HealthGate gate, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _hub = hub;
        _factory = factory;
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger("Diode.Edge.Sensors");
        var loops = new List<SensorLoop>();
        foreach (var sensor in sensors.Value)
        {
            // A critical sensor beats the watchdog's health gate on every reading: if it stops reading, the board resets
            // (unless it did so on each of the last boots: then the reset-loop guard suspends it, not being the agent's liveness).
            if (sensor.Critical)
            {
                _heartbeats[sensor.Name!] = gate.Register("sensor:" + sensor.Name, HeartbeatLimit(sensor), agentLiveness: false);
            }

            loops.Add(NewLoop(sensor));
        }

        _loops = [.. loops];
    }

    /// <summary>The loops now running, one per sensor, in the config's order.</summary>
    public IReadOnlyList<SensorLoop> Loops => Volatile.Read(ref _loops);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var loop in Loops)
        {
            Run(loop);
        }

        _started = true;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Values.Select(r => r.Running)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs each of <paramref name="sensors"/> (by name, each an existing sensor with the same type, device and
    /// quantities) with its new settings: its loop stops, and a new one starts on the same stream, with the critical
    /// sensor's heartbeat limit following the new interval.
    /// </summary>
    public async Task ReconfigureAsync(IReadOnlyList<SensorOptions> sensors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        await _changing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var sensor in sensors)
            {
                var loops = Loops.ToArray();
                int index = Array.FindIndex(loops, l => l.StreamId == sensor.Name);
                if (index < 0 || !_hub.TryGet(sensor.Name!, out var stream))
                {
                    throw new InvalidOperationException($"no sensor named {sensor.Name} runs: a new sensor needs the host started again");
                }

                if (_running.Remove(sensor.Name!, out var old))
                {
                    await old.Stop.CancelAsync().ConfigureAwait(false);
                    await old.Running.WaitAsync(LoopStopTimeout, cancellationToken).ConfigureAwait(false);
                    old.Stop.Dispose();
                }

                stream.Redescribe(SensorStreamCatalog.Describe(sensor));
                if (_heartbeats.TryGetValue(sensor.Name!, out var heartbeat))
                {
                    heartbeat.StaleAfter = HeartbeatLimit(sensor);
                }

                loops[index] = NewLoop(sensor);
                Volatile.Write(ref _loops, loops);
                if (_started)
                {
                    Run(loops[index]);
                }
            }
        }
        finally
        {
            _changing.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var (stop, _) in _running.Values)
        {
            stop.Dispose();
        }

        _stopping.Dispose();
        _changing.Dispose();
        return ValueTask.CompletedTask;
    }

    private static TimeSpan HeartbeatLimit(SensorOptions sensor) => TimeSpan.FromTicks(sensor.Interval.Ticks * 3) + TimeSpan.FromSeconds(2);

    private SensorLoop NewLoop(SensorOptions sensor) =>
        new(sensor, _factory.Create, _hub, _timeProvider, _logger, _heartbeats.TryGetValue(sensor.Name!, out var heartbeat) ? heartbeat.Beat : null);

    private void Run(SensorLoop loop)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        _running[loop.StreamId] = (stop, Task.Run(() => loop.RunAsync(stop.Token), CancellationToken.None));
    }
}
