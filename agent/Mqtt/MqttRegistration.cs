using Diode.Edge.Agent.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Diode.Edge.Agent.Mqtt;

/// <summary>Wires the MQTT output into the host when <c>mqtt.enabled</c> (one call each from AgentHost).</summary>
internal static class MqttRegistration
{
    public static void AddMqtt(this IServiceCollection services, IHealthChecksBuilder health, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Mqtt.Enabled)
        {
            return;
        }

        services.AddSingleton<MqttPublisherService>();
        services.AddSingleton<MqttMetrics>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttPublisherService>());
        health.AddCheck<MqttHealthCheck>("mqtt");
    }

    /// <summary>Creates the metrics (they register their collectors) once the host is built.</summary>
    public static void UseMqtt(this IServiceProvider services, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mqtt.Enabled)
        {
            services.GetRequiredService<MqttMetrics>();
        }
    }
}
