using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Diode.Consumers;
using Diode.Edge.Agent.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Agent.Http;

/// <summary>
/// The stream endpoints (docs/http-api.md): the list and the latest frame here; Server-Sent Events
/// (<see cref="SseEndpoint"/>), WebSocket (<see cref="WebSocketEndpoint"/>) and history (<see cref="HistoryEndpoint"/>).
/// </summary>
internal static class StreamEndpoints
{
    public static IEndpointRouteBuilder MapStreamEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/streams", ReadMethods.GetAndHead, (StreamHub hub, HttpContext context) =>
            Results.Json(hub.Streams.Where(s => MayRead(context, s.Descriptor.Id)).Select(ToInfo).ToArray(), AgentJsonContext.Default.StreamInfoArray));
        endpoints.MapMethods("/streams/{id}/latest", ReadMethods.GetAndHead, Latest);
        endpoints.MapGet("/streams/{id}/events", SseEndpoint.ServeAsync);
        endpoints.MapGet("/streams/{id}/ws", WebSocketEndpoint.ServeAsync);
        endpoints.MapMethods("/streams/{id}/history", ReadMethods.GetAndHead, HistoryEndpoint.Serve);
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
            return StreamResults.NoSuchStream(id);
        }

        var frame = stream.Latest;
        return frame is null
            ? Results.Json(new ErrorResponse($"stream \"{id}\" has no frame yet"), AgentJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status404NotFound)
            : Results.Bytes(frame.Json, "application/json");
    }

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
}
