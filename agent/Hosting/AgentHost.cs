using System.Net;
using Diode.Edge.Agent.Clock;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Dashboard;
using Diode.Edge.Agent.Diode;
using Diode.Edge.Agent.Diode.Consumers;
using Diode.Edge.Agent.Fleet;
using Diode.Edge.Agent.Health;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Http;
using Diode.Edge.Agent.Metrics;
using Diode.Edge.Agent.Mqtt;
using Diode.Edge.Agent.Store;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;
using Diode.Edge.Sensors.Hardware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;
using Diode.Edge.Watchdog;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Diode.Edge.Agent.Hosting;

/// <summary>Builds the agent's host: Kestrel on the configured loopback port, the stream hub, the sensor loops, /health.</summary>
internal static class AgentHost
{
    /// <param name="hardware">The buses the sensors use; the board's real ones (<see cref="LinuxSensorHardware"/>) unless a test passes emulated chips.</param>
    /// <param name="openWatchdog">Opens <c>watchdog.device</c>; the real device (or the simulated one) unless a test passes its own (e.g. a simulated device that reports a watchdog reset).</param>
    /// <param name="clock">Whether the system clock is synchronised; the kernel's answer (<see cref="AdjtimexClockSource"/>) unless a test passes its own.</param>
    /// <param name="restart">Where a deployment asks for the host to start again with the configuration reloaded (<c>diode-edge run</c> acts on it).</param>
    public static WebApplication Build(LoadedConfig config, TimeProvider? timeProvider = null, ISensorHardware? hardware = null, Func<string, IWatchdogDevice>? openWatchdog = null, IClockSyncSource? clock = null, AgentRestart? restart = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = config.Options;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "diode-edge",
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });

        ServingDefaults.Apply(builder, options.Log.Level, new IPEndPoint(IPAddress.Parse(options.Http.Listen), options.Http.Port), options.Http, options.Hub, ConsumerEndpoint.For(options.Diode));

        var services = builder.Services;
        var time = timeProvider ?? TimeProvider.System;

        // sd_notify's contract: notify whenever NOTIFY_SOCKET is set (AddSystemd only does under a systemd parent).
        restart ??= new AgentRestart();
        if (Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is { Length: > 0 })
        {
            // Registered last, so the systemd lifetime of AddSystemd uses it too.
            services.AddSingleton<ISystemdNotifier>(new RestartAwareNotifier(restart, new SystemdNotifier()));
        }

        var gate = new HealthGate(time) { FirstBeatAllowance = options.Watchdog.StartupGrace };
        var identity = LoadIdentity(options, time);
        services.AddAgentOptions(options);
        services.AddSingleton(config);
        services.AddSingleton(time);
        services.AddSingleton(identity);

        // One call per feature. The hosted services start in the order registered: the store's writer before the
        // sensors that feed it, the host's own liveness before the watchdog that watches it, the Diode client once the
        // streams it carries are up, deployments and MQTT last.
        services.AddFrameStore(options.Store);
        services.AddSignedStreams(options, identity, clock ?? new AdjtimexClockSource());
        services.AddSensors(options.Sensors, hardware);
        services.AddHostedService<KeepAliveService>();
        services.AddHostedService<HostHeartbeatService>();
        services.AddHealthChecks().AddCheck<HostHealthCheck>("host");
        services.AddHostedService<StartupPagesRelease>();
        services.AddHostedService<BurstCompaction>();
        services.AddWatchdog(options, gate, time, openWatchdog);
        services.AddDiodeClient(options, identity, gate, time);
        services.AddHostedService<SystemdStatusService>();
        services.AddDeployments(options, restart);
        services.AddMqtt(options);

        var app = builder.Build();
        ServingDefaults.UseMiddleware(app);
        app.UseConsumerAccess();
        app.MapDashboard();
        app.MapStreamEndpoints();
        app.MapIdentityEndpoint();
        app.MapDeploymentEndpoints();
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapAgentMetrics();
        return app;
    }

    /// <summary>Loads the device key (creating it on first start); a key that cannot be used is an <see cref="IdentityException"/>.</summary>
    public static DeviceIdentity LoadIdentity(AgentOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        string path = DeviceKeyFile.Resolve(options.Identity.KeyPath, new IdentityOptions().KeyPath);
        var (key, created) = DeviceKeyFile.LoadOrCreate(path);
        return new DeviceIdentity(key, path, created, options.Diode.Fleet, timeProvider.GetUtcNow());
    }

    /// <summary>The address Kestrel listens on once started (the real port when <c>http.port</c> is 0).</summary>
    public static Uri BoundAddress(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        return new Uri(addresses?.FirstOrDefault() ?? throw new InvalidOperationException("the host has not started"));
    }
}
