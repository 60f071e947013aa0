using Diode.Edge.Agent.Dashboard;
using Diode.Edge.Agent.Health;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Agent.Http;
using Diode.Edge.Agent.Metrics;
using Diode.Edge.Agent.Store;
using Diode.Edge.Agent.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Diode.Edge.Agent.Relay;

/// <summary>
/// <c>diode-edge relay</c>: an untrusted fan-out node. It holds no key and signs nothing: it serves the device's own
/// signed frames, so consumers verify them end to end, and relays can chain.
/// </summary>
internal static class RelayHost
{
    public static WebApplication Build(RelayOptions options, LogLevel logLevel = LogLevel.Information)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "diode-edge-relay", ContentRootPath = AppContext.BaseDirectory, Args = [] });
        ServingDefaults.Apply(builder, logLevel, options.Listen, options.Http, options.Hub);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new StreamHub(options.Hub, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new FrameBacklog(null));
        services.AddSingleton<RelayCounters>();
        services.AddSingleton<UpstreamFollower>();
        services.AddHostedService(sp => sp.GetRequiredService<UpstreamFollower>());
        services.AddHostedService<BurstCompaction>();
        services.AddSingleton<AgentMetrics>();
        services.AddSingleton<DeliveryMetrics>();
        services.AddHealthChecks().AddCheck<StreamsHealthCheck>("streams").AddCheck<RelayHealthCheck>("relay");

        var app = builder.Build();
        ServingDefaults.UseMiddleware(app);
        app.MapDashboard();
        app.MapStreamEndpoints();
        app.MapMethods("/identity", ReadMethods.GetAndHead, (UpstreamFollower follower) => follower.Identity is { } identity
            ? Results.Json(identity, AgentJsonContext.Default.IdentityResponse)
            : Results.Json(new ErrorResponse("the upstream's identity is not known yet"), AgentJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
        var metrics = app.Services.GetRequiredService<AgentMetrics>();
        RegisterMetrics(metrics, app.Services.GetRequiredService<StreamHub>(), app.Services.GetRequiredService<RelayCounters>());
        app.MapMetrics("/metrics", metrics.Registry);
        return app;
    }

    private static void RegisterMetrics(AgentMetrics metrics, StreamHub hub, RelayCounters counters)
    {
        var f = metrics.Factory;
        var forwarded = f.CreateCounter("diode_edge_relay_frames_forwarded_total", "Upstream frames verified and forwarded.");
        var rejected = f.CreateCounter("diode_edge_relay_frames_rejected_total", "Upstream frames that failed verification and were dropped.");
        var duplicates = f.CreateCounter("diode_edge_relay_frames_duplicate_total", "Upstream frames not newer than the last forwarded (replayed, reordered, resent) and dropped.");
        var oversized = f.CreateCounter("diode_edge_relay_upstream_lines_oversized_total", "Upstream lines longer than the bound (64 KB), skipped without being buffered.");
        var reconnects = f.CreateCounter("diode_edge_relay_upstream_reconnects_total", "Reconnections to the upstream.");
        var consumers = f.CreateGauge("diode_edge_consumers", "Connected consumers, per stream.", ["stream"]);
        var delivered = f.CreateCounter("diode_edge_frames_delivered_total", "Frames written to consumers, per stream.", ["stream"]);
        var dropped = f.CreateCounter("diode_edge_frames_dropped_slow_consumer_total", "Frames dropped from the queues of consumers that fell behind, per stream.", ["stream"]);
        metrics.OnCollect(() =>
        {
            forwarded.IncTo(counters.Forwarded);
            rejected.IncTo(counters.Rejected);
            duplicates.IncTo(counters.Duplicates);
            oversized.IncTo(counters.OversizedLines);
            reconnects.IncTo(counters.Reconnects);
            foreach (var stream in hub.Streams)
            {
                consumers.WithLabels(stream.Id).Set(stream.ConsumerCount);
                delivered.WithLabels(stream.Id).IncTo(stream.FramesDelivered);
                dropped.WithLabels(stream.Id).IncTo(stream.DroppedFrames);
            }
        });
    }
}
