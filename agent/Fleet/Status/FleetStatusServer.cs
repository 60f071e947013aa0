using System.Net;
using Diode.Edge.Agent.Dashboard;
using Diode.Edge.Agent.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Fleet.Status;

/// <summary>
/// <c>diode-edge fleet serve</c>: the fleet's table on a page (<c>GET /</c>), re-polled every interval
/// (<see cref="FleetStatusPoller"/>) and read by the page at <c>GET /fleet/status.json</c>, which passes each device's
/// raw signed statements so the page verifies every row itself, with the dashboard's verify.js. Same strict CSP as the
/// dashboard; only requests naming this server's own host are answered (no DNS rebinding onto a loopback page).
/// </summary>
internal static class FleetStatusServer
{
    public static WebApplication Build(IPEndPoint listen, FleetStatusPoller poller)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(poller);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "diode-edge-fleet-serve", ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(listen);
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxConcurrentConnections = 256;
        });
        builder.Services.AddSingleton(poller);
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FleetStatusPoller>());

        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (!IsOwnHost(context.Request.Host, listen))
            {
                context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.MapMethods("/", ReadMethods.GetAndHead, context => DashboardEndpoints.ServeAsync(context, DashboardAssets.FleetPage, "fleet.html"));
        app.MapMethods("/fleet/status.json", ReadMethods.GetAndHead, async (FleetStatusPoller status, HttpContext context) =>
        {
            var report = await status.LatestAsync(context.RequestAborted).ConfigureAwait(false);
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(new FleetServeAnswer(status.Interval.TotalSeconds, report), AgentJsonContext.Default.FleetServeAnswer);
        });
        app.MapMethods("/fleet/{name}", ReadMethods.GetAndHead, (HttpContext context, string name) => DashboardEndpoints.ServeAsync(context, DashboardAssets.FleetPage, name));
        return app;
    }

    /// <summary>The Host header names this server: its address, <c>localhost</c> for a loopback one, and its port.</summary>
    private static bool IsOwnHost(HostString host, IPEndPoint listen)
    {
        if (!host.HasValue || (host.Port ?? 80) != listen.Port)
        {
            return false;
        }

        string name = host.Host.Trim('[', ']');
        if (IPAddress.TryParse(name, out var address))
        {
            return listen.Address.Equals(IPAddress.Any) || listen.Address.Equals(IPAddress.IPv6Any) || address.Equals(listen.Address);
        }

        // A name is trusted only for a loopback server as "localhost"; a server listening wider is asked by address.
        return IPAddress.IsLoopback(listen.Address) && string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase);
    }
}
