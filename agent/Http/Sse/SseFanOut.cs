using System.Runtime.InteropServices;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Http.Sse;

/// <summary>
/// A socket fan-out of one stream: one loop takes each frame from the stream once and writes its SSE chunk to every
/// direct consumer's socket (<see cref="SseSocketConsumer.Offer"/>), the way a broker writes one message to its
/// subscribers, instead of waking one task per consumer per frame. When frames arrive faster than the loop goes round
/// (a burst, or thousands of consumers on a busy CPU), the waiting ones are written together, one send per consumer
/// for up to <see cref="MaxBatchFrames"/> frames. Joining and leaving consumers change a list under a lock; the loop
/// copies it into a reusable array only when it changed, so a frame costs no allocation.
/// </summary>
internal sealed class SseFanOut : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<SseSocketConsumer> _consumers = [];
    private readonly Subscription _feed;
    private readonly Task _loop;
    private SseSocketConsumer[] _snapshot = [];
    private int _version;
    private int _snapshotVersion;
    private readonly List<Frame> _batch = new(MaxBatchFrames);
    private byte[] _batchBytes = new byte[4096];
    private EventPosition? _lastSent;

    /// <summary>Frames written to a consumer in one send at most (they wait in the feed when the loop is behind).</summary>
    public const int MaxBatchFrames = 32;

    /// <param name="feedCapacity">Frames the loop may fall behind the stream before the oldest are dropped (the loop never waits on a consumer, so only a saturated CPU makes it lag).</param>
    public SseFanOut(HubStream stream, int feedCapacity, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _feed = stream.SubscribeInternal(feedCapacity);
        _lastSent = _feed.StartedAfter;
        _loop = RunAsync(stopping);
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _consumers.Count;
            }
        }
    }

    /// <summary>Adds a consumer (queued: it gets frames once its head is written); returns the last frame it will not get.</summary>
    public EventPosition? Join(SseSocketConsumer consumer)
    {
        lock (_gate)
        {
            _consumers.Add(consumer);
            _version++;
            return _lastSent;
        }
    }

    public void Leave(SseSocketConsumer consumer)
    {
        lock (_gate)
        {
            if (_consumers.Remove(consumer))
            {
                _version++;
            }
        }
    }

    public void Dispose() => _feed.Dispose();

    /// <summary>The loop's end (it ends when the agent stops or the stream's feed is disposed).</summary>
    public Task Completion => _loop;

    private async Task RunAsync(CancellationToken stopping)
    {
        await Task.Yield();
        var reader = _feed.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                while (reader.TryRead(out var frame))
                {
                    _batch.Add(frame);
                    while (_batch.Count < MaxBatchFrames && reader.TryRead(out frame))
                    {
                        _batch.Add(frame);
                    }

                    Send(CollectionsMarshal.AsSpan(_batch));
                    _batch.Clear();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private void Send(ReadOnlySpan<Frame> frames)
    {
        int count;
        lock (_gate)
        {
            if (_snapshotVersion != _version)
            {
                if (_snapshot.Length < _consumers.Count)
                {
                    _snapshot = new SseSocketConsumer[Math.Max(_consumers.Count, _snapshot.Length * 2)];
                }

                _consumers.CopyTo(_snapshot);
                Array.Clear(_snapshot, _consumers.Count, _snapshot.Length - _consumers.Count);
                _snapshotVersion = _version;
            }

            count = _consumers.Count;
            for (int i = frames.Length - 1; i >= 0; i--)
            {
                if (!frames[i].IsKeepAlive)
                {
                    _lastSent = frames[i].Position;
                    break;
                }
            }
        }

        var bytes = frames.Length == 1 ? frames[0].SseChunk.Span : Concatenate(frames);
        var consumers = _snapshot;
        for (int i = 0; i < count; i++)
        {
            consumers[i].Offer(frames, bytes);
        }
    }

    /// <summary>The frames' chunks one after another, in the loop's reusable buffer.</summary>
    private ReadOnlySpan<byte> Concatenate(ReadOnlySpan<Frame> frames)
    {
        int length = 0;
        foreach (var frame in frames)
        {
            length += frame.SseChunk.Length;
        }

        if (_batchBytes.Length < length)
        {
            _batchBytes = new byte[Math.Max(length, _batchBytes.Length * 2)];
        }

        int at = 0;
        foreach (var frame in frames)
        {
            frame.SseChunk.Span.CopyTo(_batchBytes.AsSpan(at));
            at += frame.SseChunk.Length;
        }

        return _batchBytes.AsSpan(0, length);
    }
}
