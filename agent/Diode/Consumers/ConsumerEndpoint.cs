using System.Net;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Diode.Api;
using Diode.Edge.Agent.Metrics;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Agent.Diode.Consumers;

/// <summary>The agent's published port: <c>127.0.0.1:&lt;diode.consumerPort&gt;</c>, listened on only while <c>diode.enabled</c>, behind the <see cref="ConsumerGate"/>.</summary>
internal static class ConsumerEndpoint
{
    /// <summary>The endpoint and its connection middleware for <see cref="Hosting.ServingDefaults.Apply"/>; null when the Diode client is off.</summary>
    public static (IPEndPoint EndPoint, Action<ListenOptions> Configure)? For(DiodeOptions diode)
    {
        ArgumentNullException.ThrowIfNull(diode);
        if (!diode.IsOn())
        {
            return null;
        }

        return (new IPEndPoint(IPAddress.Loopback, diode.ConsumerPort), listen =>
        {
            var gate = listen.ApplicationServices.GetRequiredService<ConsumerGate>();
            listen.Use(gate.Wrap);
        });
    }

    public static void AddServices(IServiceCollection services, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(new DiodeApiEndpoint(options.Diode.ApiPort));
        services.AddSingleton<DiodeConfigApi>();
        services.AddMetricSet<ConsumerMetrics>();
        services.AddSingleton<ConsumerGate>();
        services.AddSingleton<StreamAccess>();
        services.AddSingleton<DiodeClientAddress>();
    }
}
