using MQTTnet;

namespace Diode.Edge.Bench.FanOut;

/// <summary>An MQTTnet subscriber to mosquitto: counts frames and records their age, like <see cref="SseConsumer"/>.</summary>
public sealed class MqttConsumer(int port, string topic, LatencyHistogram latency) : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private long _frames;

    public long Frames => Interlocked.Read(ref _frames);

    public bool Measuring { get; set; }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            if (Measuring)
            {
                var now = DateTimeOffset.UtcNow;
                Interlocked.Increment(ref _frames);
                var payload = e.ApplicationMessage.Payload;
                if (payload.IsSingleSegment && FrameTimestamp.TryAge(payload.FirstSpan, now, out double ms))
                {
                    latency.Record(ms);
                }
            }

            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithKeepAlivePeriod(TimeSpan.FromMinutes(5)).WithCleanSession().Build();
        await _client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MQTTnet.Protocol.MqttQualityOfServiceLevel.AtMostOnce).Build(), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _client.DisconnectAsync().ConfigureAwait(false);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
        }

        _client.Dispose();
    }
}
