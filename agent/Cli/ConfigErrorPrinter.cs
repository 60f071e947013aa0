using Diode.Edge.Agent.Configuration;

namespace Diode.Edge.Agent.Cli;

/// <summary>Prints configuration errors and warnings one per line, without stack traces.</summary>
internal static class ConfigErrorPrinter
{
    public static int PrintErrors(ConfigException exception, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(error);
        foreach (var e in exception.Errors)
        {
            error.WriteLine("error: " + e);
        }

        return ExitCodes.Config;
    }

    public static void PrintWarnings(IEnumerable<ConfigError> warnings, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        ArgumentNullException.ThrowIfNull(error);
        foreach (var w in warnings)
        {
            error.WriteLine("warning: " + w);
        }
    }
}
