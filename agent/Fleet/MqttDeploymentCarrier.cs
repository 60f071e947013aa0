using System.Threading.Channels;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Polly;
using Polly.Retry;
using Diode.Edge.Agent.Resilience;

namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// Takes deployments from a retained MQTT message (<c>fleet.mqttTopic</c>, by default
/// <c>&lt;mqtt.topicPrefix&gt;/fleet/&lt;fleet&gt;/deployment</c>) when MQTT is on: an owner publishes the signed
/// document once, retained, and every device of the fleet on that broker takes it, now or when it next connects. The
/// broker is a carrier like any other, not trusted: each document is offered to <see cref="DeploymentService"/>, which
/// verifies it. Its own connection (MQTT 5, no Last Will), so that the frame publisher is not held up by
/// verification; the broker is told the largest packet this client takes (a deployment's 64 KB and its topic), so a
/// larger message never reaches the agent, and one that did would be counted and refused unread. Documents wait in a
/// queue of one (a newer message replaces one not yet read) and are verified one per second at most, so a flood on
/// the topic costs neither memory nor more than a bounded share of a core.
/// </summary>
internal sealed partial class MqttDeploymentCarrier : BackgroundService
{
    /// <summary>The topic and MQTT 5 packet overhead allowed on top of a deployment's bytes.</summary>
    public const int PacketOverhead = 2048;

    private static readonly TimeSpan OfferSpacing = TimeSpan.FromSeconds(1);

    private readonly MqttOptions _mqtt;
    private readonly DeploymentService _service;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _clientId;
    private readonly Channel<byte[]> _documents = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private byte[]? _lastOffered;
    private long _received;
    private long _tooLarge;
    private volatile bool _connected;
    private string? _loggedProblem;

    public MqttDeploymentCarrier(IOptions<MqttOptions> mqtt, IOptions<FleetOptions> fleet, IOptions<DiodeOptions> diode, DeploymentService service, TimeProvider time, ILogger<MqttDeploymentCarrier> logger)
    {
        ArgumentNullException.ThrowIfNull(mqtt);
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(diode);
        _mqtt = mqtt.Value;
        _service = service;
        _time = time;
        _logger = logger;
        Topic = TopicFor(_mqtt, fleet.Value, diode.Value);
        _clientId = (_mqtt.ClientId ?? "diode-edge-" + service.DeviceAddress.ToLowerInvariant()) + "-deployments";
    }

    /// <summary>The topic this device takes deployments from; null when it takes none by MQTT (MQTT off, or no owners).</summary>
    public string? Topic { get; }

    /// <summary>Messages received on the topic (each offered, unless it repeats the one offered or applied before).</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Messages larger than a deployment, refused unread.</summary>
    public long TooLarge => Interlocked.Read(ref _tooLarge);

    public bool Connected => _connected;

    /// <summary><c>fleet.mqttTopic</c>, or <c>&lt;mqtt.topicPrefix&gt;/fleet/&lt;diode.fleet, lower case&gt;/deployment</c>; null when the carrier is off.</summary>
    public static string? TopicFor(MqttOptions mqtt, FleetOptions fleet, DiodeOptions diode)
    {
        ArgumentNullException.ThrowIfNull(mqtt);
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(diode);
        if (!mqtt.Enabled || !fleet.Enabled)
        {
            return null;
        }

        return fleet.MqttTopic ?? $"{mqtt.TopicPrefix}/fleet/{diode.Fleet?.ToLowerInvariant()}/deployment";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Topic is null)
        {
            return;
        }

        var offering = OfferAsync(stoppingToken);
        var reconnect = RetryForever.Pipeline(_mqtt.ReconnectMinDelay, _mqtt.ReconnectMaxDelay, args =>
        {
            _connected = false;
            string problem = args.Outcome.Exception?.Message ?? "the connection ended";
            if (problem != _loggedProblem)
            {
                _loggedProblem = problem;
                LogUnreachable(_logger, Topic, problem);
            }

            return ValueTask.CompletedTask;
        }, stoppingToken);
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
        try
        {
            await reconnect.ExecuteAsync(ct => new ValueTask(SessionAsync(client, ct)), stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        _documents.Writer.TryComplete();
        await offering.ConfigureAwait(false);
        if (client.IsConnected)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogUnreachable(_logger, Topic, ex.Message);
            }
        }
    }

    /// <summary>Connects and subscribes, then waits until the connection is lost (throws, so the retry reconnects) or the agent stops.</summary>
    private async Task SessionAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
        }

        var options = MqttClientSettings.Build(_mqtt, will: null, _clientId);
        options.ProtocolVersion = MqttProtocolVersion.V500;
        options.MaximumPacketSize = DeploymentDocument.MaxBytes + PacketOverhead;
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task OnDisconnected(MqttClientDisconnectedEventArgs e)
        {
            lost.TrySetResult();
            return Task.CompletedTask;
        }

        client.DisconnectedAsync += OnDisconnected;
        try
        {
            var connack = await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
            if (connack.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new MQTTnet.Exceptions.MqttCommunicationException($"the broker refused the connection: {connack.ResultCode}");
            }

            var subscribed = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(Topic, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken).ConfigureAwait(false);
            if (subscribed.Items.FirstOrDefault() is { } item && (int)item.ResultCode >= 0x80)
            {
                throw new MQTTnet.Exceptions.MqttCommunicationException($"the broker refused the subscription to {Topic}: {item.ResultCode}");
            }

            _connected = true;
            _loggedProblem = null;
            LogSubscribed(_logger, Topic!);

            await lost.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            throw new MQTTnet.Exceptions.MqttCommunicationException("the connection to the broker was lost");
        }
        finally
        {
            client.DisconnectedAsync -= OnDisconnected;
        }
    }

    /// <summary>MQTTnet's receive callback: a bounded copy into the queue of one, nothing more.</summary>
    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (message.Topic != Topic || message.Payload.IsEmpty)
        {
            return Task.CompletedTask; // an empty retained message is how an owner clears the topic
        }

        Interlocked.Increment(ref _received);
        if (message.Payload.Length > DeploymentDocument.MaxBytes)
        {
            Interlocked.Increment(ref _tooLarge);
            LogTooLarge(_logger, Topic!, message.Payload.Length, DeploymentDocument.MaxBytes);
            return Task.CompletedTask;
        }

        _documents.Writer.TryWrite(System.Buffers.BuffersExtensions.ToArray(message.Payload));
        return Task.CompletedTask;
    }

    private async Task OfferAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (byte[] document in _documents.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // The retained message comes again with every connection, and after the restart that applies it.
                if ((_lastOffered is { } last && last.AsSpan().SequenceEqual(document))
                    || (_service.State.Applied() is { } applied && applied.AsSpan().SequenceEqual(document)))
                {
                    continue;
                }

                _lastOffered = document;
                if (_service.Offer(document, "mqtt " + Topic).Accepted)
                {
                    _service.Apply(); // in place, or the host stops and this with it

                }

                await Task.Delay(OfferSpacing, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "deployments: cannot take them from MQTT topic {Topic}: {Problem} (trying again)")]
    private static partial void LogUnreachable(ILogger logger, string? topic, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "deployments: subscribed to MQTT topic {Topic} (a retained deployment there is verified here like any other)")]
    private static partial void LogSubscribed(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deployments: a message of {Bytes} bytes on {Topic} is larger than a deployment ({Max} bytes): refused unread")]
    private static partial void LogTooLarge(ILogger logger, string topic, long bytes, int max);
}
