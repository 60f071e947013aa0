using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Processes;
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

        WebApplication built;
        try
        {
            built = AgentHost.Build(config);
        }
        catch (IdentityException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Config;
        }

        await using var app = built;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Diode.Edge");
        if (!ChildSubreaper.TryBecome())
        {
            LogNoSubreaper(logger);
        }

        var identity = app.Services.GetRequiredService<DeviceIdentity>();
        LogIdentity(logger, identity.Address, identity.Created ? "created" : "loaded", identity.KeyPath, Identity.Secp256k1.Secp256k1Implementations.Current.Name);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "device {Address}: key {Action} at {Path}, signing with {Signer}")]
    private static partial void LogIdentity(ILogger logger, string address, string action, string path, string signer);

    [LoggerMessage(Level = LogLevel.Debug, Message = "not a child subreaper (prctl refused): descendants of the Diode client that leave its group and lose their parent go to init, and are still killed by their tag")]
    private static partial void LogNoSubreaper(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "config: {Warning}")]
    private static partial void LogConfigWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "diode-edge {Version} started with {Config}: {Streams} streams on {Address}")]
    private static partial void LogStarted(ILogger logger, string version, string config, int streams, Uri address);
}
