using System.Reflection;

namespace Diode.Edge.Agent;

/// <summary>The product version, from Directory.Build.props (the one place it is set).</summary>
internal static class AgentVersion
{
    public static string Current { get; } =
        typeof(AgentVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
