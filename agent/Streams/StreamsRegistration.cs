using Diode.Edge.Agent.Clock;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Health;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Metrics;
using Diode.Edge.Agent.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Agent.Streams;

/// <summary>
/// Wires the signed streams into the host: the clock state every frame carries, and the hub with one stream per
/// configured sensor (<see cref="SensorStreamCatalog"/>), built before any service starts, its frames signed with the
/// device key; the stream and delivery metrics; the health of the streams and of the clock.
/// </summary>
internal static class StreamsRegistration
{
    public static IServiceCollection AddSignedStreams(this IServiceCollection services, AgentOptions options, DeviceIdentity identity, IClockSyncSource clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(identity);
        services.AddSingleton(clock);
        services.AddSingleton<ClockMonitor>();
        services.AddSingleton(sp => SensorStreamCatalog.Register(
            new StreamHub(
                options.Hub,
                sp.GetRequiredService<TimeProvider>(),
                () => new FrameEncoder(identity.Key, sp.GetRequiredService<DeliveryMetrics>().ObserveSigned, sp.GetRequiredService<ClockMonitor>().SynchronizedForFrame),
                minimumEpoch: options.Store.Enabled ? sp.GetRequiredService<FrameStore>().LastEpoch + 1 : 0),
            options.Sensors));
        services.AddMetricSet<StreamMetrics>();
        services.AddSingleton<DeliveryMetrics>();
        services.AddHealthChecks()
            .AddCheck<StreamsHealthCheck>("streams")
            .AddCheck<ClockHealthCheck>("clock");
        return services;
    }
}
