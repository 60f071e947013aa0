using Diode.Edge.Agent.Health;
using Diode.Edge.Sensors;
using Diode.Edge.Sensors.Hardware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Diode.Edge.Agent.Hosting;

/// <summary>Wires the sensors into the host: the board's buses (or a test's emulated ones), the factory, and one loop and one health check (<c>sensor:&lt;name&gt;</c>) per configured sensor.</summary>
internal static class SensorsRegistration
{
    /// <param name="hardware">The buses the sensors use; the board's real ones (<see cref="LinuxSensorHardware"/>) when null.</param>
    public static IServiceCollection AddSensors(this IServiceCollection services, IReadOnlyList<SensorOptions> sensors, ISensorHardware? hardware)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        if (hardware is null)
        {
            services.AddSingleton<ISensorHardware, LinuxSensorHardware>(_ => new LinuxSensorHardware());
        }
        else
        {
            services.AddSingleton(hardware);
        }

        services.AddSingleton<SensorFactory>();
        services.AddSingleton<SensorsHostedService>();
        services.AddHostedService(sp => sp.GetRequiredService<SensorsHostedService>());
        var health = services.AddHealthChecks();
        foreach (var sensor in sensors)
        {
            string name = sensor.Name!;
            health.Add(new HealthCheckRegistration(
                "sensor:" + name,
                sp => new SensorHealthCheck(sp.GetRequiredService<SensorsHostedService>().Loops.Single(l => l.StreamId == name), sp.GetRequiredService<TimeProvider>()),
                failureStatus: null,
                tags: null));
        }

        return services;
    }
}
