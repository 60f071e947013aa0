using System.Text.Json;
using Diode.Edge.Agent.Configuration;

namespace Diode.Edge.Agent.Cli;

/// <summary><c>diode-edge config check</c>: validates the config and prints the effective configuration (defaults filled in).</summary>
internal static class ConfigCheckCommand
{
    public static int Execute(string? configPath, IReadOnlyList<string> sets, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        LoadedConfig config;
        try
        {
            config = ConfigLoader.Load(configPath, sets);
        }
        catch (ConfigException ex)
        {
            return ConfigErrorPrinter.PrintErrors(ex, error);
        }

        ConfigErrorPrinter.PrintWarnings(config.Warnings, error);
        var options = new JsonSerializerOptions(AgentJsonContext.Default.Options) { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
        output.WriteLine(JsonSerializer.Serialize(config.Options, new AgentJsonContext(options).AgentOptions));
        error.WriteLine($"{config.FilePath}: ok");
        return ExitCodes.Ok;
    }
}
