using Diode.Edge.Agent.Store;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;
using Microsoft.AspNetCore.Http;

namespace Diode.Edge.Agent.Http;

/// <summary>
/// What the SSE and WebSocket endpoints share before their consumer loop: the stream and a subscription within the
/// hub's limits, the position to resume after (<c>Last-Event-ID</c> or <c>?lastEventId=</c>), and the frames missed
/// since then.
/// </summary>
internal static class ResumableSubscription
{
    /// <summary>
    /// The stream, a consumer subscription within the hub's limits and the resume position; or null once the error
    /// (404 no such stream, 400 bad Last-Event-ID, 503 with Retry-After beyond the limits) has been written.
    /// </summary>
    public static async Task<(HubStream Stream, Subscription Subscription, EventPosition? ResumeAfter)?> OpenAsync(HttpContext context, string id, StreamHub hub, bool fedByFanOut = false)
    {
        if (!hub.TryGet(id, out var stream))
        {
            await StreamResults.NoSuchStream(id).ExecuteAsync(context).ConfigureAwait(false);
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
    public static async Task SendBacklogAsync(HubStream stream, Subscription subscription, EventPosition? resumeAfter, FrameBacklog backlog, Func<IReadOnlyList<Frame>, Task> send)
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
            badRequest = StreamResults.BadRequest($"Last-Event-ID \"{lastEventId}\" is not <epoch>-<seq>");
            return false;
        }

        resumeAfter = position;
        return true;
    }
}
