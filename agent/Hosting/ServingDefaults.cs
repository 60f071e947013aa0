using System.Net;
using System.Threading.RateLimiting;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Http.Sse;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Hosting;

/// <summary>
/// What every serving host of diode-edge (the agent and the relay) shares: logging, systemd integration, Kestrel on one
/// endpoint with limits for a port the Diode network publishes to the world, capped socket send buffers, a global
/// request rate limit, WebSockets.
/// </summary>
internal static class ServingDefaults
{
    /// <param name="published">A second endpoint (the agent's published port, <c>diode.consumerPort</c>) and its own connection middleware; null for none.</param>
    public static void Apply(WebApplicationBuilder builder, LogLevel logLevel, IPEndPoint listen, HttpOptions http, HubOptions hub, (IPEndPoint EndPoint, Action<ListenOptions> Configure)? published = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(hub);
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // The health service would log a warning for each degraded component on every /health request (the dashboard
        // asks every 5 s); each component logs its own changes of state once, so only unhealthy ones are repeated here.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Error);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.AddSystemd();
        builder.Services.AddSingleton(new HostAllowList(http.AllowedHosts, published?.EndPoint.Port));
        builder.Services.AddSingleton(new SseFanOuts(hub));

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(listen, endpoint => UseConnectionDefaults(endpoint, http));
            if (published is { } extra)
            {
                kestrel.Listen(extra.EndPoint, endpoint =>
                {
                    UseConnectionDefaults(endpoint, http);
                    extra.Configure(endpoint);
                });
            }

            // Limits for a port the Diode network publishes to the world: small requests, quick headers, bounded connections.
            var limits = kestrel.Limits;
            limits.MaxConcurrentConnections = hub.MaxConsumers + 256;
            limits.MaxConcurrentUpgradedConnections = hub.MaxConsumers + 256;
            limits.MaxRequestHeadersTotalSize = 16 * 1024;
            limits.MaxRequestHeaderCount = 64;
            limits.MaxRequestLineSize = 4 * 1024;
            limits.MaxRequestBodySize = 64 * 1024;
            limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
        });
        builder.Services.AddRateLimiter(limiter =>
        {
            int perSecond = http.MaxRequestsPerSecond;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetTokenBucketLimiter("port", _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = perSecond * 2,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                return ValueTask.CompletedTask;
            };
        });
    }

    /// <summary>
    /// Every connection: the capped send buffer, and the HTTP layer behind a <see cref="DetachableConnection"/> (which
    /// counts the connection's requests and lets an SSE response take the connection out of Kestrel's HTTP layer).
    /// </summary>
    private static void UseConnectionDefaults(ListenOptions endpoint, HttpOptions http) => endpoint.Use(next => connection =>
    {
        if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            socket.SendBufferSize = (int)http.SendBufferSize;
        }

        return DetachableConnection.RunAsync(connection, next);
    });

    private static Task CountRequest(HttpContext context, Func<Task> next)
    {
        context.Features.Get<DetachableConnection>()?.RequestStarted();
        return next();
    }

    /// <summary>
    /// Every endpoint reads: GET and HEAD are answered, any other method is 405 with the Allow header, on every path but
    /// one: <c>POST /deployments</c>, which takes documents that prove themselves (signed by the fleet's owners).
    /// </summary>
    private static Task ReadOnlyMethods(HttpContext context, Func<Task> next)
    {
        bool deployments = context.Request.Path.Equals("/deployments", StringComparison.Ordinal);
        if (deployments ? HttpMethods.IsPost(context.Request.Method) : HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            return next();
        }

        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = deployments ? "POST" : "GET, HEAD";
        return Task.CompletedTask;
    }

    public static void UseMiddleware(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(CountRequest);
        app.Use(app.Services.GetRequiredService<HostAllowList>().InvokeAsync);
        app.Use(ReadOnlyMethods);
        app.UseRateLimiter();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
    }
}
