using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace Diode.Edge.Tests.Support;

/// <summary>A test's MQTT subscriber (MQTTnet) recording every message it receives, in order.</summary>
public sealed class MqttProbe : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly MqttClientOptions _options;
    private readonly string[] _filters;

    /// <param name="persistentSession">With a fixed client id and no clean session, the broker keeps QoS 1 messages for the probe while it is away.</param>
    /// <param name="tls">Connect with TLS, accepting any certificate (the probe is not what a TLS test checks).</param>
    public MqttProbe(int port, string[] filters, string? clientId = null, bool persistentSession = false, bool tls = false)
    {
        _filters = filters;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId ?? "probe-" + Guid.NewGuid().ToString("N"))
            .WithCleanSession(!persistentSession)
            // MQTTnet speaks MQTT 5, where a session without an expiry interval ends with the connection.
            .WithSessionExpiryInterval(persistentSession ? 3600u : 0u)
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (tls)
        {
            builder.WithTlsOptions(new MqttClientTlsOptionsBuilder().WithAllowUntrustedCertificates().WithIgnoreCertificateChainErrors().WithCertificateValidationHandler(_ => true).Build());
        }

        _options = builder.Build();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            _received.Enqueue(new Received(m.Topic, Encoding.UTF8.GetString(m.Payload), m.Retain, m.QualityOfServiceLevel, m.Dup));
            return Task.CompletedTask;
        };
    }

    public sealed record Received(string Topic, string Payload, bool Retain, MqttQualityOfServiceLevel Qos, bool Dup);

    public IReadOnlyList<Received> Messages => [.. _received];

    public static async Task<MqttProbe> ConnectAsync(int port, params string[] filters)
    {
        var probe = new MqttProbe(port, filters);
        await probe.ConnectAsync();
        return probe;
    }

    public async Task ConnectAsync()
    {
        var result = await _client.ConnectAsync(_options);
        // A session the broker kept still has its subscriptions: subscribing again would resend retained messages.
        if (!result.IsSessionPresent)
        {
            var subscribe = new MqttClientSubscribeOptionsBuilder();
            foreach (string filter in _filters)
            {
                subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
            }

            await _client.SubscribeAsync(subscribe.Build());
        }
    }

    /// <summary>Reconnects (the broker was restarted), trying every 100 ms for up to <paramref name="timeout"/>.</summary>
    public async Task ReconnectAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (_client.IsConnected)
                {
                    return;
                }

                await ConnectAsync();
                return;
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Waits until the messages received satisfy <paramref name="condition"/>; fails the test with what arrived otherwise.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(Func<IReadOnlyList<Received>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var messages = Messages;
            if (condition(messages))
            {
                return messages;
            }

            if (deadline.Elapsed > timeout)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}; got {messages.Count} messages: {string.Join(", ", messages.TakeLast(5).Select(m => m.Topic))}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync();
            }
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
        }

        _client.Dispose();
    }
}
