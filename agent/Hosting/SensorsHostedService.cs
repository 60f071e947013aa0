using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Sensors;
using Diode.Edge.Watchdog;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Hosting;

/// <summary>Starts one <see cref="SensorLoop"/> per configured sensor, each publishing into its own hub stream.</summary>
public sealed class SensorsHostedService : IHostedService, IAsyncDisposable
{
    private readonly List<SensorLoop> _loops = [];
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _stopping = new();

    public SensorsHostedService(AgentOptions options, StreamHub hub, SensorFactory factory, HealthGate gate, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger("Diode.Edge.Sensors");
        foreach (var sensor in options.Sensors)
        {
            // A critical sensor beats the watchdog's health gate on every reading: if it stops reading, the board resets
            // (unless it did so on each of the last boots: then the reset-loop guard suspends it, not being the agent's liveness).
            Action? heartbeat = sensor.Critical ? gate.Register("sensor:" + sensor.Name, TimeSpan.FromTicks(sensor.Interval.Ticks * 3) + TimeSpan.FromSeconds(2), agentLiveness: false).Beat : null;
            var loop = new SensorLoop(sensor, factory.Create, hub, timeProvider, logger, heartbeat);
            hub.Register(new StreamDescriptor(loop.StreamId, sensor.Type!, SensorFactory.QuantitiesOf(sensor), sensor.Interval));
            _loops.Add(loop);
        }
    }

    public IReadOnlyList<SensorLoop> Loops => _loops;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var loop in _loops)
        {
            _running.Add(Task.Run(() => loop.RunAsync(_stopping.Token), CancellationToken.None));
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }
}
