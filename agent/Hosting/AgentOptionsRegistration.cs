using Diode.Edge.Agent.Configuration;
using Diode.Edge.Sensors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Diode.Edge.Agent.Hosting;

/// <summary>
/// Registers each section of the loaded configuration as <see cref="IOptions{TOptions}"/> of its own type, once, so
/// that every service the container builds takes the section(s) it reads and not the whole <see cref="AgentOptions"/>.
/// The sensor list and the stream access map, which have no class of their own, are registered as their read-only shapes.
/// </summary>
internal static class AgentOptionsRegistration
{
    public static IServiceCollection AddAgentOptions(this IServiceCollection services, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(Options.Create(options.Http));
        services.AddSingleton(Options.Create(options.Identity));
        services.AddSingleton(Options.Create(options.Store));
        services.AddSingleton(Options.Create(options.Diode));
        services.AddSingleton(Options.Create(options.Watchdog));
        services.AddSingleton(Options.Create<IReadOnlyList<SensorOptions>>(options.Sensors));
        services.AddSingleton(Options.Create(options.Hub));
        services.AddSingleton(Options.Create(options.Log));
        services.AddSingleton(Options.Create(options.Mqtt));
        services.AddSingleton(Options.Create(options.Fleet));
        services.AddSingleton(Options.Create<IReadOnlyDictionary<string, StreamAccessOptions>>(options.Streams));
        return services;
    }
}
