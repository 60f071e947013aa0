using System.Threading.Channels;

namespace Diode.Edge.Agent.Streams;

/// <summary>
/// One consumer's bounded queue on a stream. The publisher never waits for it: when the consumer falls more than the
/// queue's capacity behind, its oldest frames are dropped and counted, so a stalled consumer costs bounded memory.
/// </summary>
public sealed class Subscription : IDisposable
{
    private readonly Channel<Frame> _channel;
    private readonly HubStream _stream;
    private long _dropped;

    internal Subscription(HubStream stream, int capacity, bool isInternal)
    {
        _stream = stream;
        IsInternal = isInternal;
        _channel = Channel.CreateBounded<Frame>(
            new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
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

    /// <summary>The last frame published before this subscription started (null when there was none): live frames come after it.</summary>
    public EventPosition? StartedAfter { get; internal set; }

    /// <summary>Frames this consumer lost because it fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public int Queued => _channel.Reader.Count;

    public void Dispose()
    {
        _stream.Unsubscribe(this);
        _channel.Writer.TryComplete();
    }

    internal void Offer(Frame frame) => _channel.Writer.TryWrite(frame);
}
