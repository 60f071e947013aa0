using Diode.Edge.Agent.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Diode.Edge.Agent.Dashboard;

/// <summary>
/// <c>GET /</c>: the dashboard, served by the agent and by relays alike. The page loads only its own two files and
/// talks only to the server it came from (a Content-Security-Policy says so), so a relay can serve it without being
/// trusted: the page verifies every frame itself against the address of <c>/identity</c>.
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>Scripts and styles from this origin only, no inline code, no framing by other sites.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods("/", ReadMethods.GetAndHead, context => ServeAsync(context, DashboardAssets.Embedded, "index.html"));
        endpoints.MapMethods("/dashboard/{name}", ReadMethods.GetAndHead, (HttpContext context, string name) => ServeAsync(context, DashboardAssets.Embedded, name));
        return endpoints;
    }

    /// <summary>One embedded file with the headers every page of diode-edge gets (CSP, ETag, no framing, gzip when asked).</summary>
    internal static Task ServeAsync(HttpContext context, DashboardAssets assets, string name)
    {
        var response = context.Response;
        if (!assets.TryGet(name, out var asset))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        var headers = response.Headers;
        headers.ContentType = asset.ContentType;
        headers.ETag = asset.ETag;
        // Revalidated on each load (a cheap 304): an upgraded agent's page is never mixed with a cached older script.
        headers.CacheControl = "no-cache";
        headers.Vary = HeaderNames.AcceptEncoding;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        bool gzip = context.Request.Headers.AcceptEncoding.Any(v => v is not null && v.Contains("gzip", StringComparison.OrdinalIgnoreCase));
        byte[] body = gzip ? asset.Gzipped : asset.Content;
        if (gzip)
        {
            headers.ContentEncoding = "gzip";
        }

        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
