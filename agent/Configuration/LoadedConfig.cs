using Microsoft.Extensions.Configuration;

namespace Diode.Edge.Agent.Configuration;

/// <summary>A configuration that passed every check: the bound options, the raw sources, and any warnings to log.</summary>
public sealed record LoadedConfig(AgentOptions Options, IConfigurationRoot Raw, string FilePath, IReadOnlyList<ConfigError> Warnings);
