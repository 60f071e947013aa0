using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace Diode.Edge.Agent.Configuration;

/// <summary>Names the source that set a key, so an error points at the file, the environment variable or the --set that is wrong.</summary>
internal sealed class ConfigSourceResolver(IConfigurationRoot root, string filePath)
{
    public string FilePath { get; } = filePath;

    public string Describe(string configKey)
    {
        ArgumentNullException.ThrowIfNull(configKey);
        foreach (var provider in root.Providers.Reverse())
        {
            if (provider.TryGet(configKey, out _) || HasChildren(provider, configKey))
            {
                return provider switch
                {
                    JsonConfigurationProvider => FilePath,
                    EnvironmentVariablesConfigurationProvider => "environment " + ConfigKey.ToEnvironmentVariable(configKey),
                    CommandLineConfigurationProvider => "--set " + ConfigKey.ToDisplay(configKey),
                    _ => FilePath,
                };
            }
        }

        return FilePath;
    }

    private static bool HasChildren(IConfigurationProvider provider, string configKey) =>
        provider.GetChildKeys([], configKey).Any();
}
