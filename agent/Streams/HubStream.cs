using Diode.Edge.Contract;
using Diode.Edge.Sensors;

namespace Diode.Edge.Agent.Streams;

/// <summary>
/// One stream in the hub: assigns <c>seq</c>, encodes each frame once, keeps the last frames in a ring buffer and
/// offers each new frame to every subscriber's bounded queue without waiting on any of them.
/// </summary>
internal sealed class HubStream
{
    private readonly Lock _gate = new();
    private readonly FrameEncoder _encoder;
    private readonly Frame?[] _ring;
    private readonly int _queueCapacity;
    private int _ringNext;
    private int _ringCount;
    private long _seq;
    private long _published;
    private long _dropped;
    private long _slowDisconnects;
    private long _deliveredByEnded;
    private Subscription[] _subscribers = [];

    internal HubStream(StreamDescriptor descriptor, long epoch, FrameEncoder encoder, int ringSize, int queueCapacity)
    {
        _descriptor = descriptor;
        Epoch = epoch;
        _encoder = encoder;
        _ring = new Frame?[ringSize];
        _queueCapacity = queueCapacity;
    }

    private StreamDescriptor _descriptor;

    /// <summary>What the stream is; its interval changes when a deployment changes its sensor's in place.</summary>
    public StreamDescriptor Descriptor => Volatile.Read(ref _descriptor);

    /// <summary>The stream's new description (same id, type and quantities): its sensor now runs with other settings.</summary>
    internal void Redescribe(StreamDescriptor descriptor)
    {
        if (descriptor.Id != Id || descriptor.Type != _descriptor.Type || !descriptor.Quantities.SequenceEqual(_descriptor.Quantities))
        {
            throw new ArgumentException($"stream {Id} keeps its id, type and quantities", nameof(descriptor));
        }

        Volatile.Write(ref _descriptor, descriptor);
    }

    public string Id => Descriptor.Id;

    public long Epoch { get; }

    public long FramesPublished => Interlocked.Read(ref _published);

    public int ConsumerCount => Volatile.Read(ref _subscribers).Count(s => !s.IsInternal);

    /// <summary>Frames dropped from any consumer's queue since start (consumers that fell behind).</summary>
    public long DroppedFrames => Interlocked.Read(ref _dropped);

    /// <summary>The oldest frame still in memory, if any.</summary>
    public EventPosition? OldestInMemory
    {
        get
        {
            lock (_gate)
            {
                return _ringCount == 0 ? null : _ring[(_ringNext - _ringCount + _ring.Length) % _ring.Length]!.Position;
            }
        }
    }

    public Frame? Latest
    {
        get
        {
            lock (_gate)
            {
                return _ringCount == 0 ? null : _ring[(_ringNext - 1 + _ring.Length) % _ring.Length];
            }
        }
    }

    public Frame Publish(Reading reading)
    {
        lock (_gate)
        {
            var frame = _encoder.Encode(Descriptor, new EventPosition(Epoch, _seq + 1), reading);
            Append(frame);
            return frame;
        }
    }

    /// <summary>
    /// Adds a frame made elsewhere (a relay's verified upstream frame) as it is: its bytes and position are kept, so
    /// consumers verify the device's signature end to end. Frames not newer than the latest are ignored.
    /// </summary>
    public bool Forward(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        lock (_gate)
        {
            if (_ringCount > 0 && frame.Position <= _ring[(_ringNext - 1 + _ring.Length) % _ring.Length]!.Position)
            {
                return false;
            }

            Append(frame);
            return true;
        }
    }

    /// <summary>Under the lock: the frame becomes the latest, enters the ring and every subscriber's queue.</summary>
    private void Append(Frame frame)
    {
        _seq = frame.Position.Seq;
        _ring[_ringNext] = frame;
        _ringNext = (_ringNext + 1) % _ring.Length;
        _ringCount = Math.Min(_ringCount + 1, _ring.Length);
        foreach (var subscriber in _subscribers)
        {
            if (!subscriber.FedByFanOut)
            {
                subscriber.Offer(frame);
            }
        }

        Interlocked.Increment(ref _published);
    }

    /// <summary>Frames held in memory that come after <paramref name="after"/> (all when null), oldest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<Frame> FramesAfter(EventPosition? after, int limit)
    {
        lock (_gate)
        {
            return CopyAfter(after, limit);
        }
    }

    /// <summary>
    /// Subscribes to new frames; with <paramref name="resumeAfter"/>, the frames still held after that position are
    /// queued first. Taken under the stream's lock, so no frame is missed or repeated between backlog and live.
    /// </summary>
    public Subscription Subscribe(EventPosition? resumeAfter = null) => Subscribe(resumeAfter, _queueCapacity, isInternal: false);

    /// <summary>A consumer's subscription under the hub's slow-consumer policy.</summary>
    internal Subscription SubscribeConsumer(bool disconnectWhenFull, bool fedByFanOut) => Subscribe(null, _queueCapacity, isInternal: false, disconnectWhenFull, fedByFanOut);

    /// <summary>A subscription for the agent's own use (the store): its own capacity, not counted as a consumer.</summary>
    public Subscription SubscribeInternal(int capacity) => Subscribe(null, capacity, isInternal: true);

    private Subscription Subscribe(EventPosition? resumeAfter, int capacity, bool isInternal, bool disconnectWhenFull = false, bool fedByFanOut = false)
    {
        var subscription = new Subscription(this, capacity, isInternal, disconnectWhenFull, fedByFanOut);
        lock (_gate)
        {
            subscription.StartedAfter = _ringCount == 0 ? null : _ring[(_ringNext - 1 + _ring.Length) % _ring.Length]!.Position;
            if (resumeAfter is not null)
            {
                foreach (var frame in CopyAfter(resumeAfter, int.MaxValue))
                {
                    subscription.Offer(frame);
                }
            }

            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    internal void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            int index = Array.IndexOf(_subscribers, subscription);
            if (index >= 0)
            {
                _deliveredByEnded += subscription.Delivered;
                _subscribers = [.. _subscribers[..index], .. _subscribers[(index + 1)..]];
            }
        }
    }

    /// <summary>Consumers cut off for falling a whole queue behind (policy disconnect).</summary>
    public long SlowDisconnects => Interlocked.Read(ref _slowDisconnects);

    /// <summary>Frames taken by consumers, ended ones included.</summary>
    public long FramesDelivered => Interlocked.Read(ref _deliveredByEnded) + Volatile.Read(ref _subscribers).Sum(s => s.Delivered);

    /// <summary>Frames waiting in consumers' queues (the store's excluded), and the longest queue.</summary>
    public (long Total, int Longest) QueueDepth()
    {
        long total = 0;
        int longest = 0;
        foreach (var s in Volatile.Read(ref _subscribers))
        {
            if (!s.IsInternal)
            {
                int queued = s.Queued;
                total += queued;
                longest = Math.Max(longest, queued);
            }
        }

        return (total, longest);
    }

    internal void CountDrop() => Interlocked.Increment(ref _dropped);

    internal void CountSlowDisconnect() => Interlocked.Increment(ref _slowDisconnects);

    internal void OfferKeepAlive()
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            if (!subscriber.FedByFanOut)
            {
                subscriber.Offer(Frame.KeepAlive);
            }
        }
    }

    private List<Frame> CopyAfter(EventPosition? after, int limit)
    {
        var frames = new List<Frame>(Math.Min(_ringCount, limit));
        int oldest = (_ringNext - _ringCount + _ring.Length) % _ring.Length;
        for (int i = 0; i < _ringCount && frames.Count < limit; i++)
        {
            var frame = _ring[(oldest + i) % _ring.Length]!;
            if (after is null || frame.Position > after.Value)
            {
                frames.Add(frame);
            }
        }

        return frames;
    }
}
