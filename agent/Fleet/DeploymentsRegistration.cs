using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// Wires fleet deployments into the host: the applied state kept beside the device key, the verifier and applier,
/// the health gate that rolls a deployment back (and its health check), the pull from <c>fleet.sources</c> and the MQTT carrier, the metrics.
/// </summary>
internal static class DeploymentsRegistration
{
    /// <param name="restart">Where a deployment asks for the host to start again with the configuration reloaded.</param>
    public static IServiceCollection AddDeployments(this IServiceCollection services, AgentOptions options, AgentRestart restart)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(restart);
        services.AddSingleton(DeploymentState.ForKey(DeviceKeyFile.Resolve(options.Identity.KeyPath, new IdentityOptions().KeyPath)));
        services.AddSingleton<DeploymentService>();
        services.AddMetricSet<DeploymentMetrics>();
        services.AddSingleton<DeploymentGate>();
        services.AddHostedService(sp => sp.GetRequiredService<DeploymentGate>());
        services.AddHealthChecks().AddCheck<DeploymentHealthCheck>(DeploymentGate.HealthName);
        services.AddHostedService<DeploymentPuller>();
        services.AddSingleton<MqttDeploymentCarrier>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttDeploymentCarrier>());
        return services;
    }
}
