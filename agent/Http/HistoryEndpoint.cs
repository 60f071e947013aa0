using Diode.Edge.Agent.Store;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;
using Microsoft.AspNetCore.Http;

namespace Diode.Edge.Agent.Http;

/// <summary>The stream's past frames as one JSON array, from memory and the store.</summary>
internal static class HistoryEndpoint
{
    /// <summary><c>GET /streams/{id}/history?since=epoch-seq&amp;limit=N</c>: frames after <c>since</c> (from the oldest held when absent), oldest first, from memory and the store.</summary>
    public static IResult Serve(HttpContext context, string id, StreamHub hub, FrameBacklog backlog)
    {
        if (!hub.TryGet(id, out var stream))
        {
            return StreamResults.NoSuchStream(id);
        }

        string? since = context.Request.Query["since"].FirstOrDefault();
        var after = new EventPosition(0, 0);
        if (!string.IsNullOrEmpty(since) && !EventPosition.TryParse(since, out after))
        {
            return StreamResults.BadRequest($"since \"{since}\" is not <epoch>-<seq> (an SSE id, e.g. {stream.Epoch}-1)");
        }

        int limit = 100;
        string? limitText = context.Request.Query["limit"].FirstOrDefault();
        if (!string.IsNullOrEmpty(limitText) && (!int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxHistory))
        {
            return StreamResults.BadRequest($"limit \"{limitText}\" must be a whole number from 1 to {MaxHistory}");
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
}
