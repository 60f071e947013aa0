using System.Threading.Channels;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Store;
using Diode.Edge.Agent.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using Polly;
using Polly.Retry;
using Diode.Edge.Agent.Resilience;

namespace Diode.Edge.Agent.Mqtt;

/// <summary>
/// Publishes every frame to an MQTT broker, QoS 1 and retained, in order, each exactly once per broker acknowledgement.
/// It keeps a cursor per stream (the last frame the broker acknowledged, PUBACK) and always publishes what comes after
/// it, read in pages from memory and the store (<see cref="FrameBacklog"/>): live frames and the frames of a broker
/// outage take the same path, so an outage costs bounded memory and its frames arrive afterwards in order. A hub
/// subscription only wakes it up. Reconnects with a Polly retry (exponential backoff with jitter).
/// </summary>
internal sealed partial class MqttPublisherService : IHostedService, IDisposable
{
    /// <summary>Frames published per backlog read (each waits for its PUBACK, so order holds).</summary>
    public const int PageSize = 100;

    private static readonly TimeSpan CursorSaveEvery = TimeSpan.FromSeconds(1);

    private readonly MqttOptions _options;
    private readonly StreamHub _hub;
    private readonly FrameBacklog _backlog;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MqttTopics _topics;
    private readonly string _clientId;
    private readonly string _frameTopicPattern;
    private readonly MqttCursorFile _cursorFile;
    private readonly TimeSpan _gapPatience;
    private readonly List<Subscription> _subscriptions;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, EventPosition> _cursors;
    private readonly Dictionary<string, DateTimeOffset> _gapSince = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private Task[] _pumps = [];
    private DateTimeOffset _cursorSavedAt;
    private bool _cursorDirty;
    private bool _connected;
    private string? _problem = "not connected yet";
    private string? _loggedProblem;
    private volatile string? _certificateRefusal;
    private long _published;
    private long _reconnects;
    private long _failures;
    private long _lost;
    private long _rediscoveries;
    private int _homeAssistantOnline;

    public MqttPublisherService(AgentOptions options, StreamHub hub, FrameBacklog backlog, DeviceIdentity identity, TimeProvider time, ILogger<MqttPublisherService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(identity);
        _options = options.Mqtt;
        _hub = hub;
        _backlog = backlog;
        _time = time;
        _logger = logger;
        _topics = new MqttTopics(_options.TopicPrefix, identity.Address);
        _clientId = _options.ClientId ?? "diode-edge-" + _topics.Device;
        _frameTopicPattern = _topics.Frame("<stream>");
        Broker = $"{_options.Host}:{MqttClientSettings.Port(_options)}";
        string? cursorPath = _options.CursorPath
            ?? (options.Store.Enabled ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Store.Path))!, "mqtt-cursor.json") : null);
        _cursorFile = new MqttCursorFile(cursorPath);
        // A frame missing between the cursor and memory may still be on its way to the store (one flush interval).
        _gapPatience = options.Store.Enabled ? options.Store.FlushInterval * 3 + TimeSpan.FromSeconds(1) : TimeSpan.Zero;
        _cursors = _cursorFile.Load(out string? cursorProblem);
        if (cursorProblem is not null)
        {
            LogCursorUnreadable(_logger, cursorPath!, cursorProblem);
        }

        foreach (var stream in _hub.Streams)
        {
            // A stream never published before starts with this run: enabling MQTT does not flood the broker with history.
            // A cursor not older than this run (only possible with a clock set back and no store to keep epochs rising)
            // would hold back every frame: it starts with this run too.
            if (!_cursors.TryGetValue(stream.Id, out var cursor) || cursor.Epoch >= _hub.Epoch)
            {
                _cursors[stream.Id] = new EventPosition(_hub.Epoch, 0);
            }
        }

        // Subscribed before any hosted service starts, like the store; only to wake up: frames are read from the backlog.
        _subscriptions = [.. _hub.Streams.Select(s => s.SubscribeInternal(16))];
    }

    public string Broker { get; }

    public MqttTopics Topics => _topics;

    public MqttStatus Status
    {
        get
        {
            long backlog = 0;
            lock (_gate)
            {
                foreach (var stream in _hub.Streams)
                {
                    if (stream.Latest is { } latest && _cursors.TryGetValue(stream.Id, out var cursor) && latest.Position > cursor)
                    {
                        backlog += latest.Position.Epoch == cursor.Epoch ? latest.Position.Seq - cursor.Seq : latest.Position.Seq;
                    }
                }

                return new MqttStatus(_connected, Broker, _problem, _published, backlog, _reconnects, _failures, _lost);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _pumps = [.. _subscriptions.Select(s => Task.Run(() => PumpAsync(s, _stopping.Token), CancellationToken.None))];
        _running = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
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

        SaveCursors(force: true);
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _stopping.Dispose();
    }

    /// <summary>Takes frames off the hub subscription as they come (so it never overflows) and wakes the publisher.</summary>
    private async Task PumpAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            while (await subscription.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (subscription.Reader.TryRead(out _))
                {
                }

                _wake.Writer.TryWrite(true);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var reconnect = RetryForever.Pipeline(_options.ReconnectMinDelay, _options.ReconnectMaxDelay, args =>
        {
            Interlocked.Increment(ref _reconnects);
            Disconnected(Describe(args.Outcome.Exception), args.RetryDelay);
            return ValueTask.CompletedTask;
        }, cancellationToken);
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // One pipeline run per session: a session that was up for a while starts again from the shortest delay.
                await reconnect.ExecuteAsync(ct => new ValueTask(SessionAsync(client, ct)), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        SaveCursors(force: true);
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
    }

    /// <summary>Connects, announces, then publishes until the connection breaks (throws) or the agent stops.</summary>
    private async Task SessionAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
        }

        _certificateRefusal = null;
        var options = MqttClientSettings.Build(_options, _topics, _clientId, reason => _certificateRefusal = reason);
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
            await PublishUntilLostAsync(client, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Where Home Assistant announces itself: <c>&lt;discovery prefix&gt;/status</c>, <c>online</c> or <c>offline</c>.</summary>
    public string HomeAssistantStatusTopic => _options.Discovery.Prefix + "/status";

    /// <summary>Times Home Assistant said <c>online</c> and the discovery configs and current states were sent again.</summary>
    public long Rediscoveries => Interlocked.Read(ref _rediscoveries);

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
            _wake.Writer.TryWrite(true);
        }

        return Task.CompletedTask;
    }

    /// <summary>A session that lasted this long was a good one: after it breaks, reconnecting starts from the shortest delay.</summary>
    private static readonly TimeSpan StableSession = TimeSpan.FromSeconds(30);

    private async Task PublishUntilLostAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (Interlocked.Exchange(ref _homeAssistantOnline, 0) == 1)
            {
                await AnnounceAgainAsync(client, cancellationToken).ConfigureAwait(false);
            }

            bool published = false;
            foreach (var stream in _hub.Streams)
            {
                published |= await PublishPageAsync(client, stream, cancellationToken).ConfigureAwait(false);
            }

            SaveCursors(force: false);
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

    /// <summary>Publishes up to a page of the frames after the stream's cursor, each acknowledged before the next; false when there was none.</summary>
    private async Task<bool> PublishPageAsync(IMqttClient client, HubStream stream, CancellationToken cancellationToken)
    {
        EventPosition cursor;
        lock (_gate)
        {
            cursor = _cursors[stream.Id];
        }

        var page = _backlog.Read(stream, cursor, null, PageSize);
        if (page.Count == 0)
        {
            return false;
        }

        var first = page[0].Position;
        if (first.Epoch == cursor.Epoch && first.Seq > cursor.Seq + 1 && !GapGivenUp(stream.Id, cursor, first))
        {
            return false;
        }

        _gapSince.Remove(stream.Id);
        foreach (var frame in page)
        {
            var result = await client.PublishAsync(Message(_topics.Frame(stream.Id), frame.Json), cancellationToken).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                Interlocked.Increment(ref _failures);
                throw new MQTTnet.Exceptions.MqttCommunicationException($"the broker refused frame {frame.Position} on {_topics.Frame(stream.Id)}: {result.ReasonCode} (its ACL must let this client publish to {_options.TopicPrefix}/#)");
            }

            lock (_gate)
            {
                _cursors[stream.Id] = frame.Position;
                _published++;
                _cursorDirty = true;
            }
        }

        if (page.Count < PageSize)
        {
            // Caught up: Home Assistant gets the current value (not every replayed one, which it would record as "now").
            await client.PublishAsync(Message(_topics.State(stream.Id), HomeAssistantDiscovery.State(page[^1])), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Frames between the cursor and the oldest one still held are missing: wait for the store to write them (they may
    /// be in its queue) for a few flush intervals, then count them lost and go on.
    /// </summary>
    private bool GapGivenUp(string streamId, EventPosition cursor, EventPosition first)
    {
        var now = _time.GetUtcNow();
        if (!_gapSince.TryGetValue(streamId, out var since))
        {
            _gapSince[streamId] = since = now;
        }

        if (now - since < _gapPatience)
        {
            return false;
        }

        long missing = first.Seq - cursor.Seq - 1;
        Interlocked.Add(ref _lost, missing);
        LogGap(_logger, streamId, cursor.Seq + 1, first.Seq - 1, first.Epoch);
        return true;
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
        LogConnected(_logger, Broker, _clientId, _frameTopicPattern);
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

    private void SaveCursors(bool force)
    {
        Dictionary<string, EventPosition> snapshot;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!_cursorDirty || (!force && now - _cursorSavedAt < CursorSaveEvery))
            {
                return;
            }

            _cursorDirty = false;
            _cursorSavedAt = now;
            snapshot = new Dictionary<string, EventPosition>(_cursors, StringComparer.Ordinal);
        }

        try
        {
            _cursorFile.Save(snapshot);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCursorSaveFailed(_logger, _cursorFile.Path!, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "mqtt: connected to {Broker} as {ClientId}; frames go to {Topic}")]
    private static partial void LogConnected(ILogger logger, string broker, string clientId, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mqtt: not connected to {Broker}: {Problem}; retrying in {Seconds:F1} s (frames are kept and sent in order once it is back)")]
    private static partial void LogDisconnected(ILogger logger, string broker, string problem, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mqtt: stream {Stream}: frames {From}..{To} of epoch {Epoch} are no longer in memory or the store and were not published")]
    private static partial void LogGap(ILogger logger, string stream, long from, long to, long epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mqtt: cannot save the cursor to {Path}: {Problem}")]
    private static partial void LogCursorSaveFailed(ILogger logger, string path, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mqtt: cannot read the cursor {Path} ({Problem}): publishing starts with this run's frames")]
    private static partial void LogCursorUnreadable(ILogger logger, string path, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "mqtt: Home Assistant is online ({Topic}): discovery and the current states sent again")]
    private static partial void LogRediscovered(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "mqtt: on stop: {Problem}")]
    private static partial void LogStopProblem(ILogger logger, string problem);
}
