using System.Net.Sockets;
using Diode.Edge.Agent.Metrics;
using Diode.Edge.Agent.Streams;

namespace Diode.Edge.Agent.Http.Sse;

/// <summary>
/// One SSE consumer whose socket the fan-out writes directly. While the socket takes whole chunks, the fan-out sends each
/// frame's chunk with one non-blocking <c>send</c> on its own thread and nothing else runs for this consumer. When the
/// socket cannot take a whole chunk (a slow reader, a full send buffer), the consumer switches to queued: the rest of
/// that chunk and the following frames wait in its bounded <see cref="Subscription"/> queue (the hub's slow-consumer
/// policy applies: drop the oldest or disconnect) and <see cref="ServeAsync"/> drains them with asynchronous sends, then
/// hands the socket back to the fan-out. Exactly one of the two writes to the socket at any time.
/// </summary>
internal sealed class SseSocketConsumer : IDisposable
{
    private static readonly ReadOnlyMemory<byte> LastChunk = HttpChunk.Last.ToArray();
    /// <summary>How long a consumer ended by the hub's policy has to read the end of its body before the connection is closed.</summary>
    public static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly Socket _socket;
    private readonly Subscription _subscription;
    private readonly DeliveryMetrics _delivery;
    private readonly SemaphoreSlim _handedBack = new(0, 1);
    private bool _queued = true;
    private bool _ended;
    private Frame? _partial;
    private int _partialSent;

    public SseSocketConsumer(Socket socket, Subscription subscription, DeliveryMetrics delivery)
    {
        _socket = socket;
        _subscription = subscription;
        _delivery = delivery;
    }

    /// <summary>True once a direct send failed: the connection is gone.</summary>
    public bool Failed { get; private set; }

    /// <summary>
    /// The fan-out's thread: writes <paramref name="bytes"/> (the SSE chunks of <paramref name="frames"/>, in order) now,
    /// or queues the frames while the consumer is queued. When the socket takes only part, the frames it took whole are
    /// delivered, the one it took part of is finished first by <see cref="ServeAsync"/>, and the rest are queued.
    /// </summary>
    public void Offer(ReadOnlySpan<Frame> frames, ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            if (_ended || Failed)
            {
                return;
            }

            if (_queued)
            {
                foreach (var frame in frames)
                {
                    _subscription.Offer(frame);
                }

                return;
            }

            int sent;
            SocketError error;
            try
            {
                sent = _socket.Send(bytes, SocketFlags.None, out error);
            }
            catch (ObjectDisposedException)
            {
                sent = 0;
                error = SocketError.Shutdown;
            }

            if (error == SocketError.Success && sent == bytes.Length)
            {
                foreach (var frame in frames)
                {
                    Delivered(frame);
                }

                return;
            }

            if (error is SocketError.Success or SocketError.WouldBlock)
            {
                QueueRest(frames, Math.Max(sent, 0));
            }
            else
            {
                Failed = true;
            }

            _handedBack.Release();
        }
    }

    /// <summary>Under the lock, after a send that took <paramref name="sent"/> bytes of the frames' chunks.</summary>
    private void QueueRest(ReadOnlySpan<Frame> frames, int sent)
    {
        _queued = true;
        int at = 0;
        foreach (var frame in frames)
        {
            int length = frame.SseChunk.Length;
            if (at + length <= sent)
            {
                Delivered(frame);
            }
            else if (at < sent)
            {
                _partial = frame;
                _partialSent = sent - at;
            }
            else
            {
                _subscription.Offer(frame);
            }

            at += length;
        }
    }

    /// <summary>
    /// Runs <paramref name="head"/> (the caller writes the response head and any backlog with <see cref="WriteAsync"/>),
    /// then serves the consumer until it goes, the connection fails, or the hub's policy ends the subscription (then
    /// the chunked body is ended properly). The consumer starts queued, so nothing live is written before the head.
    /// </summary>
    public async Task ServeAsync(Func<Task> head, CancellationToken aborted)
    {
        var reader = _subscription.Reader;
        try
        {
            await head().ConfigureAwait(false);
            while (true)
            {
                Frame? partial;
                int offset;
                lock (_gate)
                {
                    partial = _partial;
                    offset = _partialSent;
                    _partial = null;
                }

                if (partial is not null)
                {
                    await WriteAsync(partial.SseChunk[offset..], aborted).ConfigureAwait(false);
                    Delivered(partial);
                }

                while (reader.TryRead(out var frame))
                {
                    await WriteAsync(frame.SseChunk, aborted).ConfigureAwait(false);
                    Delivered(frame);
                }

                if (reader.Completion.IsCompleted)
                {
                    // The hub's policy ended this consumer (too slow): end the body properly; the client resumes with Last-Event-ID.
                    await WriteAsync(LastChunk, aborted).ConfigureAwait(false);
                    await LingerAsync(aborted).ConfigureAwait(false);
                    return;
                }

                bool handedBack = false;
                lock (_gate)
                {
                    if (_partial is null && !reader.TryPeek(out _))
                    {
                        _queued = false;
                        handedBack = true;
                    }
                }

                if (handedBack)
                {
                    await _handedBack.WaitAsync(aborted).ConfigureAwait(false);
                    if (Failed)
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _ended = true;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _ended = true;
        }

        _handedBack.Dispose();
    }

    /// <summary>
    /// After the end of the body: FIN (after every byte queued), then wait for the consumer to read it all and close,
    /// at most <see cref="LingerTimeout"/>. Closing at once with bytes still in flight can reset the connection and
    /// lose them at the consumer.
    /// </summary>
    private async Task LingerAsync(CancellationToken aborted)
    {
        _socket.Shutdown(SocketShutdown.Send);
        try
        {
            await Task.Delay(LingerTimeout, aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Delivered(Frame frame)
    {
        if (!frame.IsKeepAlive)
        {
            _subscription.CountDelivered(1);
            _delivery.ObserveServed(frame.PublishedTimestamp);
        }
    }

    /// <summary>Writes bytes while the consumer is queued (the fan-out does not write then).</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            int sent = await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }
}
