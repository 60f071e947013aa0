using Diode.Edge.Agent.Metrics;
using Diode.Edge.Agent.Streams;

namespace Diode.Edge.Agent.Http;

/// <summary>
/// The one loop that hands a consumer its live frames, whatever carries them (SSE through Kestrel, a WebSocket): it
/// takes every frame queued since the last wake-up, writes each, completes the batch once (one flush, not one per
/// frame), then counts the frames delivered and the serve latency of the newest. It ends when the subscription's queue
/// is completed (the consumer was too slow, or the stream ended), when the batch's completion says the peer is gone,
/// or on <paramref name="cancellation"/>.
/// </summary>
internal static class ConsumerLoop
{
    /// <param name="write">Writes one frame (keep-alives only when <paramref name="keepAlives"/>).</param>
    /// <param name="complete">Completes a batch; false when the peer no longer takes frames.</param>
    public static async Task RunAsync(
        Subscription subscription,
        DeliveryMetrics delivery,
        bool keepAlives,
        Func<Frame, CancellationToken, ValueTask> write,
        Func<CancellationToken, ValueTask<bool>> complete,
        CancellationToken cancellation)
    {
        var reader = subscription.Reader;
        while (await reader.WaitToReadAsync(cancellation).ConfigureAwait(false))
        {
            int frames = 0;
            long published = 0;
            while (reader.TryRead(out var frame))
            {
                if (frame.IsKeepAlive && !keepAlives)
                {
                    continue;
                }

                await write(frame, cancellation).ConfigureAwait(false);
                if (!frame.IsKeepAlive)
                {
                    frames++;
                    published = frame.PublishedTimestamp;
                }
            }

            bool open = await complete(cancellation).ConfigureAwait(false);
            subscription.CountDelivered(frames);
            delivery.ObserveServed(published);
            if (!open)
            {
                return;
            }
        }
    }
}
