using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Diode.Api;
using Diode.Edge.Agent.Diode.Consumers;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Metrics;
using Diode.Edge.Watchdog;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Diode.Edge.Agent.Diode;

/// <summary>Wires the Diode client into the host: its supervisor, metrics and health check, its config API, and the consumer port with its access rules.</summary>
internal static class DiodeRegistration
{
    public static IServiceCollection AddDiodeClient(this IServiceCollection services, AgentOptions options, DeviceIdentity identity, HealthGate gate, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(sp => new DiodeSupervisor(sp.GetRequiredService<IOptions<DiodeOptions>>(), sp.GetRequiredService<IOptions<IdentityOptions>>(), identity, sp.GetRequiredService<DiodeConfigApi>(), gate, time, sp.GetRequiredService<ILogger<DiodeSupervisor>>(), sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<IServer>()));
        services.AddHostedService(sp => sp.GetRequiredService<DiodeSupervisor>());
        services.AddMetricSet<DiodeMetrics>();
        services.AddHealthChecks().AddCheck<DiodeHealthCheck>("diode");
        ConsumerEndpoint.AddServices(services, options);
        return services;
    }
}
