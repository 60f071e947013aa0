using Diode.Edge.Agent.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Agent.Diode.Consumers;

/// <summary>
/// Requests on the published port (they carry a <see cref="DiodeConsumerFeature"/>): <c>/metrics</c> is for local tools
/// only (403); every <c>/streams/{id}/…</c> route checks <c>streams.&lt;id&gt;.allow</c> (403 with the reason);
/// <c>/streams</c> lists only what the consumer may read (in <see cref="StreamEndpoints"/>); <c>/identity</c>,
/// <c>/health</c> and the dashboard stay open to every vouched consumer. Runs after routing (WebApplication routes
/// first), so it judges the matched endpoint, not the raw path. Requests without the feature (the loopback
/// <c>http.port</c>) pass untouched.
/// </summary>
internal static class ConsumerAccessMiddleware
{
    public static WebApplication UseConsumerAccess(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var access = app.Services.GetRequiredService<StreamAccess>();
        app.Use(async (context, next) =>
        {
            if (context.Features.Get<DiodeConsumerFeature>() is { } consumer
                && context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern }
                && Refusal(consumer, pattern, context, access) is { } refusal)
            {
                await Results.Json(new ErrorResponse(refusal), AgentJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status403Forbidden)
                    .ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        return app;
    }

    private static string? Refusal(DiodeConsumerFeature consumer, string pattern, HttpContext context, StreamAccess access)
    {
        if (pattern.Equals("/metrics", StringComparison.OrdinalIgnoreCase))
        {
            return "/metrics is served to local tools on http.port only, not on the published port";
        }

        if (pattern.StartsWith("/streams/{id}", StringComparison.OrdinalIgnoreCase)
            && context.GetRouteValue("id") is string stream
            && !access.Allows(consumer.Address, stream))
        {
            return StreamAccess.Refusal(consumer.Address, stream);
        }

        return null;
    }
}
