using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Cli;

/// <summary><c>diode-edge run</c>: loads and checks the config, then runs the agent until SIGTERM or Ctrl+C.</summary>
public static partial class RunCommand
{
    public static async Task<int> ExecuteAsync(string? configPath, IReadOnlyList<string> sets, CancellationToken cancellationToken)
    {
        LoadedConfig config;
        try
        {
            config = ConfigLoader.Load(configPath, sets);
        }
        catch (ConfigException ex)
        {
            return ConfigErrorPrinter.PrintErrors(ex, Console.Error);
        }

        await using var app = AgentHost.Build(config);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Diode.Edge");
        foreach (var warning in config.Warnings)
        {
            LogConfigWarning(logger, warning.ToString());
        }

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync(
                $"error: {config.FilePath}: http.listen/http.port: cannot listen on {config.Options.Http.Listen}:{config.Options.Http.Port}: {ex.Message} (is another diode-edge running? change http.port)").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }

        var address = app.BoundAddress();
        LogStarted(logger, AgentVersion.Current, config.FilePath, config.Options.Sensors.Count, address);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "config: {Warning}")]
    private static partial void LogConfigWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "diode-edge {Version} started with {Config}: {Streams} streams on {Address}")]
    private static partial void LogStarted(ILogger logger, string version, string config, int streams, Uri address);
}
