using System.Net.WebSockets;
using Diode.Edge.Agent.Metrics;
using Diode.Edge.Agent.Store;
using Diode.Edge.Agent.Streams;
using Microsoft.AspNetCore.Http;

namespace Diode.Edge.Agent.Http;

/// <summary><c>GET /streams/{id}/ws</c>: the stream over a WebSocket, by <see cref="ConsumerLoop"/> like SSE.</summary>
internal static class WebSocketEndpoint
{
    /// <summary>One frame per WebSocket text message; resumes after <c>?lastEventId=epoch-seq</c> like SSE.</summary>
    public static async Task ServeAsync(HttpContext context, string id, StreamHub hub, FrameBacklog backlog, DeliveryMetrics delivery)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await StreamResults.BadRequest($"a WebSocket endpoint: connect with a WebSocket client, or use /streams/{id}/events for Server-Sent Events").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (await ResumableSubscription.OpenAsync(context, id, hub).ConfigureAwait(false) is not var (stream, subscription, resumeAfter))
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
            await ResumableSubscription.SendBacklogAsync(stream, subscription, resumeAfter, backlog, async page =>
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
}
