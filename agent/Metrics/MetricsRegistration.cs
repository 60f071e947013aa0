using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;

namespace Diode.Edge.Agent.Metrics;

/// <summary>The registry each host has, each feature's metric set registered with the feature, and /metrics.</summary>
internal static class MetricsRegistration
{
    /// <summary>Registers <typeparamref name="TMetrics"/> (one per host) as a set the host creates before serving /metrics.</summary>
    public static IServiceCollection AddMetricSet<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TMetrics>(this IServiceCollection services)
        where TMetrics : class, IMetricSet
    {
        services.TryAddSingleton<AgentMetrics>();
        services.TryAddSingleton<TMetrics>();
        services.AddSingleton<IMetricSet>(sp => sp.GetRequiredService<TMetrics>());
        return services;
    }

    /// <summary>Creates every registered metric set (each registers its collectors) and serves the registry at /metrics.</summary>
    public static IEndpointConventionBuilder MapAgentMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        // Resolving a set creates it, and creating it registers its collectors.
        _ = services.GetServices<IMetricSet>().ToArray();
        return endpoints.MapMetrics("/metrics", services.GetRequiredService<AgentMetrics>().Registry);
    }
}
