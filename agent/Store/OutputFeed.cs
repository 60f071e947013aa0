using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Store;

/// <summary>
/// What a durable output (one that keeps its own checkpoint, like the MQTT output) reads from a stream: the frames after
/// its checkpoint, in order, each once. The store is the log; while the output keeps up, the frames the hub hands it
/// (an internal subscription) are the next ones and are taken as they are, without reading them back; when its checkpoint
/// falls behind what it was handed (an outage longer than <see cref="HandedCapacity"/> frames, a checkpoint of an earlier
/// run, a gap) or behind memory, it reads pages from memory and the store (<see cref="FrameBacklog"/>) until it meets the
/// handed frames again. Either way it gets only frames memory or the store still holds.
/// </summary>
internal sealed class OutputFeed : IDisposable
{
    /// <summary>Frames handed by the hub and kept until the output takes them; older ones are let go (read back when needed).</summary>
    public const int HandedCapacity = 128;

    private readonly FrameBacklog _backlog;
    private readonly Subscription _subscription;
    private readonly Queue<Frame> _handed = new();
    private readonly Lock _gate = new();

    /// <summary>Subscribes to <paramref name="stream"/> now: frames published from here on are handed to the output.</summary>
    public OutputFeed(HubStream stream, FrameBacklog backlog)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Stream = stream;
        _backlog = backlog;
        _subscription = stream.SubscribeInternal(16);
    }

    public HubStream Stream { get; }

    /// <summary>
    /// Takes the hub's frames as they come (so its queue never overflows and no drop is counted on the stream) and calls
    /// <paramref name="handed"/> after each batch, until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task PumpAsync(Action handed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handed);
        try
        {
            while (await _subscription.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                Take();
                handed();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> frames after <paramref name="after"/>, oldest first: the handed frames when they
    /// follow on from it, otherwise a page from memory and the store (which may start after a gap: the caller decides).
    /// Empty when there is nothing after it.
    /// </summary>
    public IReadOnlyList<Frame> Read(EventPosition after, int limit)
    {
        Take();
        lock (_gate)
        {
            // Frames the output already has (it read them back from the store while behind).
            while (_handed.TryPeek(out var old) && old.Position <= after)
            {
                _handed.Dequeue();
            }

            // Only while memory still holds it: what the output may still send is what memory and the store hold, as
            // before (without a store, an outage longer than the ring loses the frames the ring let go, counted).
            if (_handed.TryPeek(out var next) && Follows(after, next.Position) && Stream.OldestInMemory is { } oldest && next.Position >= oldest)
            {
                var page = new List<Frame>(Math.Min(_handed.Count, limit));
                var last = after;
                while (page.Count < limit && _handed.TryPeek(out var frame) && Follows(last, frame.Position))
                {
                    page.Add(_handed.Dequeue());
                    last = frame.Position;
                }

                return page;
            }

            if (_handed.Count == 0 && (Stream.Latest is not { } latest || latest.Position <= after))
            {
                return [];
            }
        }

        return _backlog.Read(Stream, after, null, limit);
    }

    public void Dispose() => _subscription.Dispose();

    private static bool Follows(EventPosition after, EventPosition position) => position.Epoch == after.Epoch && position.Seq == after.Seq + 1;

    /// <summary>Moves the hub's queued frames to the handed ones, letting the oldest go beyond <see cref="HandedCapacity"/>.</summary>
    private void Take()
    {
        lock (_gate)
        {
            while (_subscription.Reader.TryRead(out var frame))
            {
                if (frame.IsKeepAlive)
                {
                    continue;
                }

                _handed.Enqueue(frame);
                if (_handed.Count > HandedCapacity)
                {
                    _handed.Dequeue();
                }
            }
        }
    }
}
