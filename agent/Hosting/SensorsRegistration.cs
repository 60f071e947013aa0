using Diode.Edge.Sensors;
using Diode.Edge.Sensors.Hardware;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Agent.Hosting;

/// <summary>Wires the sensors into the host: the board's buses (or a test's emulated ones), the factory, and one loop per configured sensor.</summary>
internal static class SensorsRegistration
{
    /// <param name="hardware">The buses the sensors use; the board's real ones (<see cref="LinuxSensorHardware"/>) when null.</param>
    public static IServiceCollection AddSensors(this IServiceCollection services, ISensorHardware? hardware)
    {
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
        return services;
    }
}
