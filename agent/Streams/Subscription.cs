using System.Threading.Channels;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Streams;

/// <summary>
/// One consumer's bounded queue on a stream. The publisher never waits for it: when the consumer falls more than the
/// queue's capacity behind, its oldest frames are dropped and counted, so a stalled consumer costs bounded memory.
/// </summary>
internal sealed class Subscription : IDisposable
{
    private readonly Channel<Frame> _channel;
    private readonly HubStream _stream;
    private readonly bool _disconnectWhenFull;
    private long _dropped;
    private long _delivered;
    private int _disposed;

    internal Subscription(HubStream stream, int capacity, bool isInternal, bool disconnectWhenFull = false, bool fedByFanOut = false)
    {
        _stream = stream;
        IsInternal = isInternal;
        FedByFanOut = fedByFanOut;
        _disconnectWhenFull = disconnectWhenFull;
        _channel = Channel.CreateBounded<Frame>(
            new BoundedChannelOptions(capacity)
            {
                FullMode = disconnectWhenFull ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
                AllowSynchronousContinuations = false,
            },
            dropped =>
            {
                if (!dropped.IsKeepAlive)
                {
                    Interlocked.Increment(ref _dropped);
                    stream.CountDrop();
                }
            });
    }

    public ChannelReader<Frame> Reader => _channel.Reader;

    /// <summary>The agent's own reader (the store), not a consumer: not counted in consumers.</summary>
    public bool IsInternal { get; }

    /// <summary>
    /// A consumer whose frames the socket fan-out writes (<c>Http.Sse.SseFanOut</c>): the stream does not queue frames for it;
    /// the fan-out queues here only while the consumer's socket cannot take more.
    /// </summary>
    public bool FedByFanOut { get; }

    /// <summary>The last frame published before this subscription started (null when there was none): live frames come after it.</summary>
    public EventPosition? StartedAfter { get; internal set; }

    /// <summary>Frames this consumer lost because it fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public int Queued => _channel.Reader.Count;

    /// <summary>Frames the consumer has taken (counted by the endpoint that serves it).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>True once the hub cut this consumer off for falling a whole queue behind (policy disconnect).</summary>
    public bool DisconnectedAsSlow { get; private set; }

    /// <summary>Runs once when the subscription ends (the hub uses it to count consumers).</summary>
    internal Action? OnDispose { get; set; }

    public void CountDelivered(int frames) => Interlocked.Add(ref _delivered, frames);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stream.Unsubscribe(this);
        _channel.Writer.TryComplete();
        OnDispose?.Invoke();
    }

    /// <summary>Queues a frame (dropping the oldest, or ending the subscription, when the queue is full: the hub's policy).</summary>
    internal void Offer(Frame frame)
    {
        if (!_channel.Writer.TryWrite(frame) && _disconnectWhenFull && !frame.IsKeepAlive && !DisconnectedAsSlow)
        {
            DisconnectedAsSlow = true;
            _stream.CountSlowDisconnect();
            _channel.Writer.TryComplete();
        }
    }
}
