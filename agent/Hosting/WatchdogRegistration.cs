using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Health;
using Diode.Edge.Agent.Metrics;
using Diode.Edge.Agent.Processes;
using Diode.Edge.Watchdog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Hosting;

/// <summary>
/// Wires the watchdog into the host: the health gate every part reports to, the system checks (their test command run
/// by <see cref="BoundedCommand"/>), the pet loop with its boot history, its metrics and health check.
/// </summary>
internal static class WatchdogRegistration
{
    /// <param name="openWatchdog">Opens <c>watchdog.device</c>; the real device (or the simulated one) when null.</param>
    public static IServiceCollection AddWatchdog(this IServiceCollection services, AgentOptions options, HealthGate gate, TimeProvider time, Func<string, IWatchdogDevice>? openWatchdog)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(gate);
        services.AddSingleton(sp => new WatchdogService(options.Watchdog, gate, time, sp.GetRequiredService<ILogger<WatchdogService>>(), sp.GetService<ISystemdNotifier>(), openWatchdog, BootHistoryLocation.Guard(options, time)));
        services.AddMetricSet<WatchdogMetrics>();
        services.AddHostedService(_ => new SystemChecks(options.Watchdog.Checks, gate, time, BoundedCommand.ExitCodeAsync));
        services.AddHostedService(sp => sp.GetRequiredService<WatchdogService>());
        services.AddHealthChecks().AddCheck<WatchdogHealthCheck>("watchdog");
        return services;
    }
}
