using System.Collections.Concurrent;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Sensors;

namespace Diode.Edge.Agent.Streams;

/// <summary>
/// All streams of this agent. Sensor loops publish into it; HTTP consumers subscribe to it. The epoch is the agent's
/// start time in unix milliseconds, shared by every stream of this run.
/// </summary>
internal sealed class StreamHub : IReadingSink
{
    private readonly ConcurrentDictionary<string, HubStream> _streams = new(StringComparer.Ordinal);
    private readonly HubOptions _options;
    private readonly Func<FrameEncoder> _encoderFactory;
    private long _unknownStreamReadings;
    private int _consumers;
    private long _subscriptionsOpened;

    /// <param name="minimumEpoch">The epoch is at least this (one more than any earlier run's), so (epoch, seq) keeps increasing across restarts even when a Pi without a clock battery boots with a wrong time.</param>
    public StreamHub(HubOptions options, TimeProvider timeProvider, Func<FrameEncoder>? encoderFactory = null, long minimumEpoch = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _encoderFactory = encoderFactory ?? (() => new FrameEncoder());
        Epoch = Math.Max(timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), minimumEpoch);
    }

    public long Epoch { get; }

    public IEnumerable<HubStream> Streams => _streams.Values.OrderBy(s => s.Id, StringComparer.Ordinal);

    public int ConsumerCount => Volatile.Read(ref _consumers);

    /// <summary>Consumer subscriptions opened since start (only grows).</summary>
    public long SubscriptionsOpened => Interlocked.Read(ref _subscriptionsOpened);

    /// <summary>
    /// Subscribes a consumer within the limits (<c>hub.maxConsumers</c>, <c>hub.maxConsumersPerStream</c>) and under the
    /// slow-consumer policy; null with the reason when a limit is reached. <paramref name="fedByFanOut"/>: the socket
    /// fan-out writes this consumer's frames (<see cref="Subscription.FedByFanOut"/>).
    /// </summary>
    public Subscription? TrySubscribe(HubStream stream, out string? refusal, bool fedByFanOut = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (Interlocked.Increment(ref _consumers) > _options.MaxConsumers)
        {
            Interlocked.Decrement(ref _consumers);
            refusal = $"this agent serves {_options.MaxConsumers} consumers already (hub.maxConsumers); try again later or use a relay";
            return null;
        }

        if (stream.ConsumerCount >= _options.MaxConsumersPerStream)
        {
            Interlocked.Decrement(ref _consumers);
            refusal = $"stream \"{stream.Id}\" has {_options.MaxConsumersPerStream} consumers already (hub.maxConsumersPerStream); try again later or use a relay";
            return null;
        }

        var subscription = stream.SubscribeConsumer(_options.SlowConsumer == SlowConsumerPolicy.Disconnect, fedByFanOut);
        subscription.OnDispose = () => Interlocked.Decrement(ref _consumers);
        Interlocked.Increment(ref _subscriptionsOpened);
        refusal = null;
        return subscription;
    }

    public long UnknownStreamReadings => Interlocked.Read(ref _unknownStreamReadings);

    public HubStream Register(StreamDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var stream = new HubStream(descriptor, Epoch, _encoderFactory(), _options.RingSize, _options.ConsumerQueue);
        return _streams.TryAdd(descriptor.Id, stream)
            ? stream
            : throw new InvalidOperationException($"stream \"{descriptor.Id}\" is already registered");
    }

    public bool TryGet(string id, out HubStream stream) => _streams.TryGetValue(id, out stream!);

    public void Publish(string streamId, Reading reading)
    {
        if (_streams.TryGetValue(streamId, out var stream))
        {
            stream.Publish(reading);
        }
        else
        {
            Interlocked.Increment(ref _unknownStreamReadings);
        }
    }

    /// <summary>Queues a keep-alive for every consumer so idle connections stay open through proxies.</summary>
    public void BroadcastKeepAlive()
    {
        foreach (var stream in _streams.Values)
        {
            stream.OfferKeepAlive();
        }
    }
}
