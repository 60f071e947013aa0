using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Store;
using Diode.Edge.Agent.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Diode.Edge.Agent.Mqtt;

/// <summary>
/// The MQTT output, composed of three parts: the session (<see cref="MqttSession"/>: connection, reconnection, Home
/// Assistant discovery, online and offline), the checkpoint (<see cref="MqttCheckpoint"/>: per stream, the last frame
/// the broker acknowledged, kept in <c>mqtt-cursor.json</c>) and the publisher (<see cref="MqttFramePublisher"/>: the
/// frames after the checkpoint, in order, QoS 1 and retained). This hosted service starts and stops them and reports them.
/// </summary>
internal sealed class MqttPublisherService : IHostedService, IDisposable
{
    private readonly StreamHub _hub;
    private readonly MqttSession _session;
    private readonly MqttCheckpoint _checkpoint;
    private readonly MqttFramePublisher _publisher;
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private Task[] _pumps = [];

    public MqttPublisherService(IOptions<MqttOptions> mqttOptions, IOptions<StoreOptions> storeOptions, StreamHub hub, FrameBacklog backlog, DeviceIdentity identity, TimeProvider time, ILogger<MqttPublisherService> logger)
    {
        ArgumentNullException.ThrowIfNull(mqttOptions);
        ArgumentNullException.ThrowIfNull(storeOptions);
        ArgumentNullException.ThrowIfNull(identity);
        var mqtt = mqttOptions.Value;
        var store = storeOptions.Value;
        _hub = hub;
        Topics = new MqttTopics(mqtt.TopicPrefix, identity.Address);
        _session = new MqttSession(mqtt, Topics, hub, time, logger);
        string? cursorPath = mqtt.CursorPath
            ?? (store.Enabled ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(store.Path))!, "mqtt-cursor.json") : null);
        _checkpoint = new MqttCheckpoint(new MqttCursorFile(cursorPath), hub.Epoch, hub.Streams.Select(s => s.Id), time, logger);

        // A frame missing between the checkpoint and memory may still be on its way to the store (one flush interval).
        var gapPatience = store.Enabled ? store.FlushInterval * 3 + TimeSpan.FromSeconds(1) : TimeSpan.Zero;
        _publisher = new MqttFramePublisher(mqtt, Topics, hub, backlog, _checkpoint, gapPatience, time, logger);
    }

    public string Broker => _session.Broker;

    public MqttTopics Topics { get; }

    /// <summary>Where Home Assistant announces itself: <c>&lt;discovery prefix&gt;/status</c>, <c>online</c> or <c>offline</c>.</summary>
    public string HomeAssistantStatusTopic => _session.HomeAssistantStatusTopic;

    /// <summary>Times Home Assistant said <c>online</c> and the discovery configs and current states were sent again.</summary>
    public long Rediscoveries => _session.Rediscoveries;

    public MqttStatus Status
    {
        get
        {
            var (connected, problem) = _session.State;
            return new MqttStatus(connected, Broker, problem, _publisher.Published, _checkpoint.Behind(_hub.Streams), _session.Reconnects, _publisher.Failures, _publisher.Lost);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _pumps = _publisher.StartPumps(_session.Wake, _stopping.Token);
        _running = Task.Run(
            () => _session.RunAsync(ct => _publisher.PublishAsync(_session, ct), () => _checkpoint.Save(force: false), () => _checkpoint.Save(force: true), _stopping.Token),
            CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll([_running, .. _pumps]).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _checkpoint.Save(force: true);
    }

    public void Dispose()
    {
        _publisher.Dispose();
        _stopping.Dispose();
    }
}
