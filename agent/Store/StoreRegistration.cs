using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Health;
using Diode.Edge.Agent.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Agent.Store;

/// <summary>Wires the frame store into the host: with <c>store.enabled</c> the SQLite store, its writer, metrics and health check, else a backlog of memory only.</summary>
internal static class StoreRegistration
{
    public static IServiceCollection AddFrameStore(this IServiceCollection services, StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            services.AddSingleton(new FrameBacklog(null));
            return services;
        }

        services.AddSingleton(sp =>
        {
            var store = ActivatorUtilities.CreateInstance<FrameStore>(sp, options);
            store.TryOpen(out _);
            return store;
        });
        services.AddSingleton<StoreWriterService>();
        services.AddMetricSet<StoreMetrics>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        services.AddSingleton(sp => new FrameBacklog(sp.GetRequiredService<FrameStore>()));
        services.AddHostedService(sp => sp.GetRequiredService<StoreWriterService>());
        return services;
    }
}
