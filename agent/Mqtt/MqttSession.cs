using System.Threading.Channels;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Agent.Resilience;
using Diode.Edge.Agent.Streams;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Diode.Edge.Agent.Mqtt;

/// <summary>
/// The connection to the broker, for the agent's whole life: connects (the Last Will is in <see cref="MqttClientSettings"/>),
/// says <c>online</c>, announces the Home Assistant discovery configs and again whenever Home Assistant says <c>online</c>
/// on its status topic, and reconnects through <see cref="RetryForever"/> (exponential backoff with jitter) when the
/// connection breaks; on a clean stop it says <c>offline</c>. What is published in a session is the caller's.
/// </summary>
internal sealed partial class MqttSession
{
    /// <summary>A session that lasted this long was a good one: after it breaks, reconnecting starts from the shortest delay.</summary>
    private static readonly TimeSpan StableSession = TimeSpan.FromSeconds(30);

    private readonly MqttOptions _options;
    private readonly MqttTopics _topics;
    private readonly StreamHub _hub;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _frameTopicPattern;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _gate = new();
    private IMqttClient? _client;
    private bool _connected;
    private string? _problem = "not connected yet";
    private string? _loggedProblem;
    private volatile string? _certificateRefusal;
    private long _reconnects;
    private long _rediscoveries;
    private int _homeAssistantOnline;

    public MqttSession(MqttOptions options, MqttTopics topics, StreamHub hub, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(topics);
        _options = options;
        _topics = topics;
        _hub = hub;
        _time = time;
        _logger = logger;
        ClientId = _options.ClientId ?? "diode-edge-" + _topics.Device;
        _frameTopicPattern = _topics.Frame("<stream>");
        Broker = $"{_options.Host}:{MqttClientSettings.Port(_options)}";
    }

    public string Broker { get; }

    public string ClientId { get; }

    /// <summary>Where Home Assistant announces itself: <c>&lt;discovery prefix&gt;/status</c>, <c>online</c> or <c>offline</c>.</summary>
    public string HomeAssistantStatusTopic => _options.Discovery.Prefix + "/status";

    /// <summary>Times Home Assistant said <c>online</c> and the discovery configs and current states were sent again.</summary>
    public long Rediscoveries => Interlocked.Read(ref _rediscoveries);

    /// <summary>Connections lost and connection attempts that failed.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Whether a session is up, and why not (the broker's or the network's words) when it is not.</summary>
    public (bool Connected, string? Problem) State
    {
        get
        {
            lock (_gate)
            {
                return (_connected, _problem);
            }
        }
    }

    /// <summary>Wakes the session's publishing loop when it waits for something to publish (a frame came).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Publishes on the current session, QoS 1 and retained; only from inside <see cref="RunAsync"/>'s publishing pass.</summary>
    public Task<MqttClientPublishResult> PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        (_client ?? throw new InvalidOperationException("no MQTT session")).PublishAsync(Message(topic, payload), cancellationToken);

    /// <summary>
    /// Keeps a session up until <paramref name="cancellationToken"/> is cancelled. In each session it calls
    /// <paramref name="publish"/> (true when it published something) and <paramref name="afterPass"/> over and over,
    /// waiting for <see cref="Wake"/> (at most a second) when nothing was published; <paramref name="stopping"/> runs once
    /// the agent stops, before the session says <c>offline</c>.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task<bool>> publish, Action afterPass, Action stopping, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stopping);
        var reconnect = RetryForever.Pipeline(_options.ReconnectMinDelay, _options.ReconnectMaxDelay, args =>
        {
            Interlocked.Increment(ref _reconnects);
            Disconnected(Describe(args.Outcome.Exception), args.RetryDelay);
            return ValueTask.CompletedTask;
        }, cancellationToken);
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client = client;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // One pipeline run per session: a session that was up for a while starts again from the shortest delay.
                await reconnect.ExecuteAsync(ct => new ValueTask(SessionAsync(client, publish, afterPass, ct)), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        stopping();
        if (client.IsConnected)
        {
            try
            {
                // A clean stop: say offline ourselves (the broker sends the Will only when we vanish).
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await client.PublishAsync(Message(_topics.Status, System.Text.Encoding.UTF8.GetBytes(MqttTopics.Offline)), timeout.Token).ConfigureAwait(false);
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogStopProblem(_logger, ex.Message);
            }
        }

        _client = null;
    }

    /// <summary>Connects, announces, then publishes until the connection breaks (throws) or the agent stops.</summary>
    private async Task SessionAsync(IMqttClient client, Func<CancellationToken, Task<bool>> publish, Action afterPass, CancellationToken cancellationToken)
    {
        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
        }

        _certificateRefusal = null;
        var options = MqttClientSettings.Build(_options, _topics, ClientId, reason => _certificateRefusal = reason);
        var connack = await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        if (connack.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new MQTTnet.Exceptions.MqttCommunicationException($"the broker refused the connection: {connack.ResultCode}{(string.IsNullOrEmpty(connack.ReasonString) ? string.Empty : " (" + connack.ReasonString + ")")}");
        }

        await client.PublishAsync(Message(_topics.Status, System.Text.Encoding.UTF8.GetBytes(MqttTopics.Online)), cancellationToken).ConfigureAwait(false);
        if (_options.Discovery.Enabled)
        {
            await AnnounceAsync(client, cancellationToken).ConfigureAwait(false);

            // Home Assistant's birth message: after its own restart it says "online" here and forgets entities whose
            // discovery it does not receive again ("unavailable"); the publishing loop then announces everything again.
            await client.SubscribeAsync(
                new MqttClientSubscribeOptionsBuilder().WithTopicFilter(HomeAssistantStatusTopic, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                cancellationToken).ConfigureAwait(false);
        }

        Connected();
        long connectedAt = _time.GetTimestamp();
        try
        {
            await PublishUntilLostAsync(client, publish, afterPass, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when ((ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested) && _time.GetElapsedTime(connectedAt) >= StableSession)
        {
            // Returning (not throwing) ends this pipeline run: the next starts again from the shortest delay.
            Interlocked.Increment(ref _reconnects);
            Disconnected(Describe(ex), TimeSpan.Zero);
        }

        // A session that broke sooner (a broker that takes the connection but refuses every frame: an ACL, a quota)
        // throws on into the retry, whose delays grow: such a broker is asked again with backoff, not hammered.
    }

    private async Task PublishUntilLostAsync(IMqttClient client, Func<CancellationToken, Task<bool>> publish, Action afterPass, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (Interlocked.Exchange(ref _homeAssistantOnline, 0) == 1)
            {
                await AnnounceAgainAsync(client, cancellationToken).ConfigureAwait(false);
            }

            bool published = await publish(cancellationToken).ConfigureAwait(false);
            afterPass();
            if (!client.IsConnected)
            {
                throw new MQTTnet.Exceptions.MqttCommunicationException("the connection to the broker was lost");
            }

            if (!published)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(TimeSpan.FromSeconds(1));
                try
                {
                    await _wake.Reader.ReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                }
            }
        }
    }

    /// <summary>The discovery configs of every quantity (retained).</summary>
    private async Task AnnounceAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        foreach (var discovery in HomeAssistantDiscovery.Build(_options.Discovery.Prefix, _topics, _hub.Streams.Select(s => s.Descriptor), AgentVersion.Current))
        {
            await client.PublishAsync(Message(discovery.Topic, discovery.Payload), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Home Assistant came (back) online: the discovery configs again, then each stream's current state.</summary>
    private async Task AnnounceAgainAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        await AnnounceAsync(client, cancellationToken).ConfigureAwait(false);
        foreach (var stream in _hub.Streams)
        {
            if (stream.Latest is { } latest)
            {
                await client.PublishAsync(Message(_topics.State(stream.Id), HomeAssistantDiscovery.State(latest)), cancellationToken).ConfigureAwait(false);
            }
        }

        Interlocked.Increment(ref _rediscoveries);
        LogRediscovered(_logger, HomeAssistantStatusTopic);
    }

    /// <summary>MQTTnet's receive callback: only notes Home Assistant's <c>online</c> and wakes the publishing loop, which owns the client.</summary>
    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (_options.Discovery.Enabled && message.Topic == HomeAssistantStatusTopic && message.Payload.Length == MqttTopics.Online.Length
            && System.Buffers.BuffersExtensions.ToArray(message.Payload).AsSpan().SequenceEqual("online"u8))
        {
            Volatile.Write(ref _homeAssistantOnline, 1);
            Wake();
        }

        return Task.CompletedTask;
    }

    private static MqttApplicationMessage Message(string topic, ReadOnlyMemory<byte> payload) =>
        new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(new System.Buffers.ReadOnlySequence<byte>(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build();

    private void Connected()
    {
        lock (_gate)
        {
            _connected = true;
            _problem = null;
        }

        _loggedProblem = null;
        LogConnected(_logger, Broker, ClientId, _frameTopicPattern);
    }

    private void Disconnected(string problem, TimeSpan retryIn)
    {
        lock (_gate)
        {
            _connected = false;
            _problem = problem;
        }

        // Logged when the reason changes, not on every attempt of a long outage.
        if (problem != _loggedProblem)
        {
            _loggedProblem = problem;
            LogDisconnected(_logger, Broker, problem, retryIn.TotalSeconds);
        }
    }

    private string Describe(Exception? ex) => MqttProblem.Describe(ex, _certificateRefusal, _options);

    [LoggerMessage(Level = LogLevel.Information, Message = "mqtt: connected to {Broker} as {ClientId}; frames go to {Topic}")]
    private static partial void LogConnected(ILogger logger, string broker, string clientId, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mqtt: not connected to {Broker}: {Problem}; retrying in {Seconds:F1} s (frames are kept and sent in order once it is back)")]
    private static partial void LogDisconnected(ILogger logger, string broker, string problem, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "mqtt: Home Assistant is online ({Topic}): discovery and the current states sent again")]
    private static partial void LogRediscovered(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "mqtt: on stop: {Problem}")]
    private static partial void LogStopProblem(ILogger logger, string problem);
}
