using System.Buffers;
using System.Net.WebSockets;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Diode.Consumers;
using Diode.Edge.Agent.Http.Sse;
using Diode.Edge.Agent.Metrics;
using Diode.Edge.Agent.Store;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Agent.Http;

/// <summary>The stream endpoints (docs/http-api.md): list, latest frame, Server-Sent Events.</summary>
internal static class StreamEndpoints
{
    public static IEndpointRouteBuilder MapStreamEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/streams", ReadMethods.GetAndHead, (StreamHub hub, HttpContext context) =>
            Results.Json(hub.Streams.Where(s => MayRead(context, s.Descriptor.Id)).Select(ToInfo).ToArray(), AgentJsonContext.Default.StreamInfoArray));
        endpoints.MapMethods("/streams/{id}/latest", ReadMethods.GetAndHead, Latest);
        endpoints.MapGet("/streams/{id}/events", ServeEventsAsync);
        endpoints.MapGet("/streams/{id}/ws", ServeWebSocketAsync);
        endpoints.MapMethods("/streams/{id}/history", ReadMethods.GetAndHead, HistoryAsync);
        return endpoints;
    }

    /// <summary>On the published port, only the streams <c>streams.&lt;id&gt;.allow</c> lets this consumer read; elsewhere all.</summary>
    private static bool MayRead(HttpContext context, string stream) =>
        context.Features.Get<DiodeConsumerFeature>() is not { } consumer
        || context.RequestServices.GetService<StreamAccess>() is not { } access
        || access.Allows(consumer.Address, stream);

    private static IResult Latest(string id, StreamHub hub)
    {
        if (!hub.TryGet(id, out var stream))
        {
            return NoSuchStream(id);
        }

        var frame = stream.Latest;
        return frame is null
            ? Results.Json(new ErrorResponse($"stream \"{id}\" has no frame yet"), AgentJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status404NotFound)
            : Results.Bytes(frame.Json, "application/json");
    }

    private static readonly byte[] RetryChunk = HttpChunk.Wrap("retry: 2000\n\n"u8);

    private static async Task ServeEventsAsync(HttpContext context, string id, StreamHub hub, FrameBacklog backlog, DeliveryMetrics delivery, SseFanOuts fanOuts)
    {
        var socket = SseSocketResponse.TryTake(context);
        var fanOut = socket is not null && hub.TryGet(id, out var candidate) ? fanOuts.For(candidate) : null;
        if (await SubscribeAsync(context, id, hub, fedByFanOut: fanOut is not null).ConfigureAwait(false) is not var (stream, subscription, resumeAfter))
        {
            return;
        }

        using var owned = subscription;
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        if (fanOut is not null)
        {
            await ServeEventsOnSocketAsync(context, socket!, fanOut, stream, subscription, resumeAfter, backlog, delivery).ConfigureAwait(false);
            return;
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var body = response.BodyWriter;
        var cancellation = context.RequestAborted;
        try
        {
            body.Write("retry: 2000\n\n"u8);
            await body.FlushAsync(cancellation).ConfigureAwait(false);
            await SendBacklogAsync(stream, subscription, resumeAfter, backlog, async page =>
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
    /// SSE written on the connection's socket: the head and any backlog by this request, live frames by the stream's
    /// fan-out (<see cref="SseSocketConsumer"/>). Kestrel wrote nothing on this connection and must write nothing after
    /// it, so the connection is closed at the end (the head says <c>Connection: close</c>).
    /// </summary>
    private static async Task ServeEventsOnSocketAsync(HttpContext context, System.Net.Sockets.Socket socket, SseFanOut fanOut, HubStream stream, Subscription subscription, EventPosition? resumeAfter, FrameBacklog backlog, DeliveryMetrics delivery)
    {
        var cancellation = context.RequestAborted;
        var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        using var consumer = new SseSocketConsumer(socket, subscription, delivery);
        subscription.StartedAfter = fanOut.Join(consumer);
        try
        {
            await consumer.ServeAsync(
                async () =>
                {
                    socket.Blocking = false;
                    await consumer.WriteAsync(SseSocketResponse.Head(context.Response, time.GetUtcNow(), RetryChunk), cancellation).ConfigureAwait(false);
                    await SendBacklogAsync(stream, subscription, resumeAfter, backlog, async page =>
                    {
                        foreach (var frame in page)
                        {
                            await consumer.WriteAsync(frame.SseChunk, cancellation).ConfigureAwait(false);
                        }
                    }).ConfigureAwait(false);
                },
                cancellation).ConfigureAwait(false);
        }
        finally
        {
            fanOut.Leave(consumer);
            context.Abort();
        }
    }

    /// <summary>One frame per WebSocket text message; resumes after <c>?lastEventId=epoch-seq</c> like SSE.</summary>
    private static async Task ServeWebSocketAsync(HttpContext context, string id, StreamHub hub, FrameBacklog backlog, DeliveryMetrics delivery)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await BadRequest($"a WebSocket endpoint: connect with a WebSocket client, or use /streams/{id}/events for Server-Sent Events").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (await SubscribeAsync(context, id, hub).ConfigureAwait(false) is not var (stream, subscription, resumeAfter))
        {
            return;
        }

        using var owned = subscription;

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var cancellation = closed.Token;
        var receiving = ReceiveUntilCloseAsync(socket, closed);
        try
        {
            await SendBacklogAsync(stream, subscription, resumeAfter, backlog, async page =>
            {
                foreach (var frame in page)
                {
                    await socket.SendAsync(frame.Json, WebSocketMessageType.Text, endOfMessage: true, cancellation).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);

            // Each frame is its own message, sent as it is written: a batch has nothing left to complete.
            await ConsumerLoop.RunAsync(
                subscription,
                delivery,
                keepAlives: false,
                (frame, ct) => socket.SendAsync(frame.Json, WebSocketMessageType.Text, endOfMessage: true, ct),
                _ => ValueTask.FromResult(true),
                cancellation).ConfigureAwait(false);

            if (socket.State == WebSocketState.Open)
            {
                string reason = subscription.DisconnectedAsSlow ? "too slow: resume with ?lastEventId=" : "stream ended";
                await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, reason, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }

        await closed.CancelAsync().ConfigureAwait(false);
        await receiving.ConfigureAwait(false);
    }

    /// <summary><c>GET /streams/{id}/history?since=epoch-seq&amp;limit=N</c>: frames after <c>since</c> (from the oldest held when absent), oldest first, from memory and the store.</summary>
    private static IResult HistoryAsync(HttpContext context, string id, StreamHub hub, FrameBacklog backlog)
    {
        if (!hub.TryGet(id, out var stream))
        {
            return NoSuchStream(id);
        }

        string? since = context.Request.Query["since"].FirstOrDefault();
        var after = new EventPosition(0, 0);
        if (!string.IsNullOrEmpty(since) && !EventPosition.TryParse(since, out after))
        {
            return BadRequest($"since \"{since}\" is not <epoch>-<seq> (an SSE id, e.g. {stream.Epoch}-1)");
        }

        int limit = 100;
        string? limitText = context.Request.Query["limit"].FirstOrDefault();
        if (!string.IsNullOrEmpty(limitText) && (!int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxHistory))
        {
            return BadRequest($"limit \"{limitText}\" must be a whole number from 1 to {MaxHistory}");
        }

        var frames = backlog.Read(stream, after, null, limit);
        int size = 2 + frames.Sum(f => f.Json.Length + 1);
        var body = new byte[size];
        int at = 0;
        body[at++] = (byte)'[';
        for (int i = 0; i < frames.Count; i++)
        {
            if (i > 0)
            {
                body[at++] = (byte)',';
            }

            frames[i].Json.Span.CopyTo(body.AsSpan(at));
            at += frames[i].Json.Length;
        }

        body[at++] = (byte)']';
        return Results.Bytes(body.AsMemory(0, at), "application/json");
    }

    private const int MaxHistory = 1000;

    /// <summary>
    /// The stream, a consumer subscription within the hub's limits and the resume position; or null once the error
    /// (404 no such stream, 400 bad Last-Event-ID, 503 with Retry-After beyond the limits) has been written.
    /// </summary>
    private static async Task<(HubStream Stream, Subscription Subscription, EventPosition? ResumeAfter)?> SubscribeAsync(HttpContext context, string id, StreamHub hub, bool fedByFanOut = false)
    {
        if (!hub.TryGet(id, out var stream))
        {
            await NoSuchStream(id).ExecuteAsync(context).ConfigureAwait(false);
            return null;
        }

        if (!TryGetResumePosition(context, out var resumeAfter, out var badRequest))
        {
            await badRequest.ExecuteAsync(context).ConfigureAwait(false);
            return null;
        }

        var subscription = hub.TrySubscribe(stream, out string? refusal, fedByFanOut);
        if (subscription is null)
        {
            context.Response.Headers.RetryAfter = "10";
            await Results.Json(new ErrorResponse(refusal!), AgentJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status503ServiceUnavailable)
                .ExecuteAsync(context).ConfigureAwait(false);
            return null;
        }

        return (stream, subscription, resumeAfter);
    }

    /// <summary>Sends what a resuming consumer missed, between its last frame and the first live one, page by page.</summary>
    private static async Task SendBacklogAsync(HubStream stream, Subscription subscription, EventPosition? resumeAfter, FrameBacklog backlog, Func<IReadOnlyList<Frame>, Task> send)
    {
        if (resumeAfter is not { } cursor)
        {
            return;
        }

        var upTo = subscription.StartedAfter ?? new EventPosition(stream.Epoch, 0);
        while (cursor < upTo)
        {
            var page = backlog.Read(stream, cursor, upTo, FrameBacklog.PageSize);
            if (page.Count == 0)
            {
                break;
            }

            await send(page).ConfigureAwait(false);
            cursor = page[^1].Position;
        }
    }

    private static async Task ReceiveUntilCloseAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[256];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, closed.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }

        await closed.CancelAsync().ConfigureAwait(false);
    }

    private static bool TryGetResumePosition(HttpContext context, out EventPosition? resumeAfter, out IResult badRequest)
    {
        resumeAfter = null;
        badRequest = Results.Empty;
        string? lastEventId = context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? context.Request.Query["lastEventId"].FirstOrDefault();
        if (string.IsNullOrEmpty(lastEventId))
        {
            return true;
        }

        if (!EventPosition.TryParse(lastEventId, out var position))
        {
            badRequest = BadRequest($"Last-Event-ID \"{lastEventId}\" is not <epoch>-<seq>");
            return false;
        }

        resumeAfter = position;
        return true;
    }

    private static IResult BadRequest(string message) =>
        Results.Json(new ErrorResponse(message), AgentJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status400BadRequest);

    private static StreamInfo ToInfo(HubStream stream)
    {
        var d = stream.Descriptor;
        return new StreamInfo(
            d.Id,
            d.Type,
            [.. d.Quantities.Select(q => new QuantityInfo(q.Name, q.Unit))],
            Duration.Format(d.Interval),
            stream.Latest?.Position.Epoch ?? stream.Epoch,
            stream.Latest?.Position.Seq ?? 0,
            stream.ConsumerCount);
    }

    private static IResult NoSuchStream(string id) =>
        Results.Json(new ErrorResponse($"no stream \"{id}\"; GET /streams lists them"), AgentJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status404NotFound);
}
