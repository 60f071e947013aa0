using System.Buffers;
using Diode.Edge.Agent.Http.Sse;
using Diode.Edge.Agent.Metrics;
using Diode.Edge.Agent.Store;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Agent.Http;

/// <summary>
/// <c>GET /streams/{id}/events</c>: the stream as Server-Sent Events, resuming after <c>Last-Event-ID</c>. The first
/// request on a plain HTTP/1.1 connection is served on the socket by the stream's fan-out, outside Kestrel's HTTP layer
/// (<see cref="DetachableConnection"/>); any other through Kestrel's response body, by <see cref="ConsumerLoop"/>.
/// </summary>
internal static class SseEndpoint
{
    private static readonly byte[] RetryChunk = HttpChunk.Wrap("retry: 2000\n\n"u8);

    public static async Task ServeAsync(HttpContext context, string id, StreamHub hub, FrameBacklog backlog, DeliveryMetrics delivery, SseFanOuts fanOuts)
    {
        var direct = SseSocketResponse.TryTake(context);
        var fanOut = direct is not null && hub.TryGet(id, out var candidate) ? fanOuts.For(candidate) : null;
        if (await ResumableSubscription.OpenAsync(context, id, hub, fedByFanOut: fanOut is not null).ConfigureAwait(false) is not var (stream, subscription, resumeAfter))
        {
            return;
        }

        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        if (fanOut is not null)
        {
            var (socket, connection) = direct!.Value;
            var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
            byte[] head = SseSocketResponse.Head(response, time.GetUtcNow(), RetryChunk);
            connection.Detach(ending => ServeEventsOnSocketAsync(socket, head, fanOut, stream, subscription, resumeAfter, backlog, delivery, ending), delivery.CountInputOverflow);
            return;
        }

        using var owned = subscription;
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var body = response.BodyWriter;
        var cancellation = context.RequestAborted;
        try
        {
            body.Write("retry: 2000\n\n"u8);
            await body.FlushAsync(cancellation).ConfigureAwait(false);
            await ResumableSubscription.SendBacklogAsync(stream, subscription, resumeAfter, backlog, async page =>
            {
                foreach (var frame in page)
                {
                    body.Write(frame.Sse.Span);
                }

                await body.FlushAsync(cancellation).ConfigureAwait(false);
            }).ConfigureAwait(false);

            await ConsumerLoop.RunAsync(
                subscription,
                delivery,
                keepAlives: true,
                (frame, _) =>
                {
                    body.Write(frame.Sse.Span);
                    return ValueTask.CompletedTask;
                },
                async ct => await body.FlushAsync(ct).ConfigureAwait(false) is { IsCompleted: false, IsCanceled: false },
                cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// SSE written on the connection's socket, after the connection left Kestrel's HTTP layer (the request is over, so
    /// no per-request state stays behind each consumer): the head and any backlog by this task, live frames by the
    /// stream's fan-out (<see cref="SseSocketConsumer"/>). The connection is closed at the end (the head says
    /// <c>Connection: close</c>).
    /// </summary>
    private static async Task ServeEventsOnSocketAsync(System.Net.Sockets.Socket socket, byte[] head, SseFanOut fanOut, HubStream stream, Subscription subscription, EventPosition? resumeAfter, FrameBacklog backlog, DeliveryMetrics delivery, CancellationToken ending)
    {
        using var owned = subscription;
        using var consumer = new SseSocketConsumer(socket, subscription, delivery);
        subscription.StartedAfter = fanOut.Join(consumer);
        try
        {
            await consumer.ServeAsync(
                async () =>
                {
                    socket.Blocking = false;
                    await consumer.WriteAsync(head, ending).ConfigureAwait(false);
                    await ResumableSubscription.SendBacklogAsync(stream, subscription, resumeAfter, backlog, async page =>
                    {
                        foreach (var frame in page)
                        {
                            await consumer.WriteAsync(frame.SseChunk, ending).ConfigureAwait(false);
                        }
                    }).ConfigureAwait(false);
                },
                ending).ConfigureAwait(false);
        }
        finally
        {
            fanOut.Leave(consumer);
        }
    }
}
