using System.Buffers;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Metrics;
using Diode.Edge.Agent.Store;
using Diode.Edge.Agent.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Diode.Edge.Agent.Http;

/// <summary>The stream endpoints of the contract (DESIGN.md §3): list, latest frame, Server-Sent Events.</summary>
public static class StreamEndpoints
{
    public static IEndpointRouteBuilder MapStreamEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/streams", (StreamHub hub) =>
            Results.Json(hub.Streams.Select(ToInfo).ToArray(), AgentJsonContext.Default.StreamInfoArray));
        endpoints.MapGet("/streams/{id}/latest", Latest);
        endpoints.MapGet("/streams/{id}/events", ServeEventsAsync);
        return endpoints;
    }

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

    private static async Task ServeEventsAsync(HttpContext context, string id, StreamHub hub, FrameBacklog backlog, DeliveryMetrics delivery)
    {
        if (!hub.TryGet(id, out var stream))
        {
            await NoSuchStream(id).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        string? lastEventId = context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? context.Request.Query["lastEventId"].FirstOrDefault();
        EventPosition? resumeAfter = null;
        if (!string.IsNullOrEmpty(lastEventId))
        {
            if (!EventPosition.TryParse(lastEventId, out var position))
            {
                await Results.Json(new ErrorResponse($"Last-Event-ID \"{lastEventId}\" is not <epoch>-<seq>"), AgentJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status400BadRequest)
                    .ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            resumeAfter = position;
        }

        using var subscription = hub.TrySubscribe(stream, out string? refusal);
        if (subscription is null)
        {
            context.Response.Headers.RetryAfter = "10";
            await Results.Json(new ErrorResponse(refusal!), AgentJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status503ServiceUnavailable)
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var body = response.BodyWriter;
        var cancellation = context.RequestAborted;
        try
        {
            body.Write("retry: 2000\n\n"u8);
            await body.FlushAsync(cancellation).ConfigureAwait(false);
            if (resumeAfter is { } cursor)
            {
                // Everything between the consumer's last frame and the first live one, from memory or the store.
                var upTo = subscription.StartedAfter ?? new EventPosition(stream.Epoch, 0);
                while (cursor < upTo)
                {
                    var page = backlog.Read(stream, cursor, upTo, FrameBacklog.PageSize);
                    if (page.Count == 0)
                    {
                        break;
                    }

                    foreach (var frame in page)
                    {
                        body.Write(frame.Sse.Span);
                    }

                    await body.FlushAsync(cancellation).ConfigureAwait(false);
                    cursor = page[^1].Position;
                }
            }

            var reader = subscription.Reader;
            while (await reader.WaitToReadAsync(cancellation).ConfigureAwait(false))
            {
                int frames = 0;
                long published = 0;
                while (reader.TryRead(out var frame))
                {
                    body.Write(frame.Sse.Span);
                    if (!frame.IsKeepAlive)
                    {
                        frames++;
                        published = frame.PublishedTimestamp;
                    }
                }

                var flushed = await body.FlushAsync(cancellation).ConfigureAwait(false);
                subscription.CountDelivered(frames);
                delivery.ObserveServed(published);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
    }

    private static StreamInfo ToInfo(HubStream stream)
    {
        var d = stream.Descriptor;
        return new StreamInfo(
            d.Id,
            d.Type,
            [.. d.Quantities.Select(q => new QuantityInfo(q.Name, q.Unit))],
            Duration.Format(d.Interval),
            stream.Epoch,
            stream.Latest?.Position.Seq ?? 0,
            stream.ConsumerCount);
    }

    private static IResult NoSuchStream(string id) =>
        Results.Json(new ErrorResponse($"no stream \"{id}\"; GET /streams lists them"), AgentJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status404NotFound);
}
