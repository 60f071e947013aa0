using Microsoft.Extensions.Configuration;

namespace Diode.Edge.Agent.Configuration;

/// <summary>A configuration that passed every check: the bound options, the raw sources, and any warnings to log.</summary>
internal sealed record LoadedConfig(AgentOptions Options, IConfigurationRoot Raw, string FilePath, IReadOnlyList<ConfigError> Warnings)
{
    /// <summary>The config file as given (null: the default path) and the <c>--set</c> options, to load it again with a deployment.</summary>
    public (string? ConfigPath, IReadOnlyList<string> Sets) Source { get; init; } = (null, []);

    /// <summary>The deployment merged over the file, if any.</summary>
    public DeploymentOverlay? Overlay { get; init; }
}
