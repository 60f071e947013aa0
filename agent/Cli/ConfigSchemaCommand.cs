using Diode.Edge.Agent.Configuration;

namespace Diode.Edge.Agent.Cli;

/// <summary><c>diode-edge config schema</c>: prints the JSON schema of config.json (docs/config.schema.json), for an editor to check the file as it is typed.</summary>
internal static class ConfigSchemaCommand
{
    public static int Execute(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(ConfigSchema.Write(ConfigSchema.Generate()));
        output.Flush();
        return ExitCodes.Ok;
    }
}
