using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Fleet;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Processes;
using Diode.Edge.Contract;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Cli;

/// <summary><c>diode-edge run</c>: loads and checks the config, then runs the agent until SIGTERM or Ctrl+C.</summary>
internal static partial class RunCommand
{
    public static async Task<int> ExecuteAsync(string? configPath, IReadOnlyList<string> sets, CancellationToken cancellationToken)
    {
        // A deployment applied or rolled back stops the host, which then starts again here with the configuration
        // reloaded: same process, same PID, nothing for systemd to do.
        var restart = new AgentRestart();
        while (true)
        {
            LoadedConfig config;
            try
            {
                config = LoadWithDeployment(configPath, sets);
            }
            catch (ConfigException ex)
            {
                return ConfigErrorPrinter.PrintErrors(ex, Console.Error);
            }

            int code = await RunHostAsync(config, restart, cancellationToken).ConfigureAwait(false);
            if (code != ExitCodes.Ok && config.Overlay is { } overlay && DeploymentStateOf(config.Options).Status is { State: "pending" } pending && pending.Seq == overlay.Seq)
            {
                // The host did not even start with the new configuration (e.g. a port in use): back to the one before.
                DeploymentStateOf(config.Options).RollBack($"the agent did not start with it (exit {code})", "host", TimeProvider.System.GetUtcNow());
                continue;
            }

            if (restart.Reason is null || cancellationToken.IsCancellationRequested)
            {
                return code;
            }

            await Console.Out.WriteLineAsync($"diode-edge: starting again with the configuration reloaded ({restart.Reason})").ConfigureAwait(false);
            restart.Clear();
        }
    }

    /// <summary>The config file with the applied deployment merged over it, if there is one and it still makes a valid configuration (else it is rolled back).</summary>
    public static LoadedConfig LoadWithDeployment(string? configPath, IReadOnlyList<string> sets)
    {
        var local = ConfigLoader.Load(configPath, sets);
        if (!local.Options.Fleet.Enabled)
        {
            return local;
        }

        var state = DeploymentStateOf(local.Options);
        for (int attempt = 0; attempt < 3 && state.Applied() is { } bytes; attempt++)
        {
            var document = DeploymentDocument.Parse(bytes, out string? problem);
            try
            {
                return document is null
                    ? throw new ConfigException("the applied deployment does not read: " + problem)
                    : ConfigLoader.Load(configPath, sets, new DeploymentOverlay(document.Claims.Seq, document.Config));
            }
            catch (ConfigException ex)
            {
                state.RollBack($"the configuration with it is not valid: {ex.Errors[0]}", "config", TimeProvider.System.GetUtcNow());
            }
        }

        return local;
    }

    private static DeploymentState DeploymentStateOf(AgentOptions options) =>
        DeploymentState.ForKey(DeviceKeyFile.Resolve(options.Identity.KeyPath, new IdentityOptions().KeyPath));

    private static async Task<int> RunHostAsync(LoadedConfig config, AgentRestart restart, CancellationToken cancellationToken)
    {
        WebApplication built;
        try
        {
            built = AgentHost.Build(config, restart: restart);
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
        LogIdentity(logger, identity.Address, identity.Created ? "created" : "loaded", identity.KeyPath, Secp256k1Implementations.Current.Name);
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
