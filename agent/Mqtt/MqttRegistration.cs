using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Agent.Mqtt;

/// <summary>Wires the MQTT output into the host when <c>mqtt.enabled</c>: the publisher, its metrics and health check.</summary>
internal static class MqttRegistration
{
    public static IServiceCollection AddMqtt(this IServiceCollection services, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Mqtt.Enabled)
        {
            return services;
        }

        services.AddSingleton<MqttPublisherService>();
        services.AddMetricSet<MqttMetrics>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttPublisherService>());
        services.AddHealthChecks().AddCheck<MqttHealthCheck>("mqtt");
        return services;
    }
}
