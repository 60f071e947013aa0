using System.CommandLine;

namespace Diode.Edge.Agent.Cli;

/// <summary>The command line: <c>run</c> (the default), <c>config check</c>, <c>config schema</c>, <c>subscribe</c>, <c>sensors scan</c>, <c>--version</c>, <c>--help</c>.</summary>
internal static class CliApp
{
    public static RootCommand Build()
    {
        var configOption = new Option<string?>("--config", "-c")
        {
            Description = $"The config file to use (default {Configuration.ConfigLoader.DefaultPath}). To try the agent without a Pi: --config agent/config.dev.json",
            HelpName = "PATH",
            Recursive = true,
        };
        var setOption = new Option<string[]>("--set")
        {
            Description = "Override one config value, e.g. --set http.port=8081 or --set sensors[0].interval=2s (repeatable; wins over the file and DIODE_EDGE__ variables)",
            HelpName = "KEY=VALUE",
            Recursive = true,
            DefaultValueFactory = _ => [],
        };

        var root = new RootCommand(
            "diode-edge: keeps a Raspberry Pi alive with its hardware watchdog, reads its sensors, signs every reading with the device key " +
            "and serves the signed streams to consumers through the Diode network. With no command it runs the agent (same as 'run').");
        root.Options.Add(configOption);
        root.Options.Add(setOption);

        var run = new Command("run", "Run the agent in the foreground (this is what the diode-edge systemd service runs). Stops on Ctrl+C or SIGTERM.");
        run.SetAction((result, ct) => RunCommand.ExecuteAsync(result.GetValue(configOption), result.GetValue(setOption) ?? [], ct));
        root.SetAction((result, ct) => RunCommand.ExecuteAsync(result.GetValue(configOption), result.GetValue(setOption) ?? [], ct));
        root.Subcommands.Add(run);

        var check = new Command("check", "Check the config file (and DIODE_EDGE__ variables and --set values) and print the effective config with every default filled in. Exit code 78 when something is wrong.");
        check.SetAction(result => ConfigCheckCommand.Execute(result.GetValue(configOption), result.GetValue(setOption) ?? [], Console.Out, Console.Error));
        var schema = new Command("schema", "Print the JSON schema of the config file (docs/config.schema.json) on stdout, for an editor: every key with its type, default and description.");
        schema.SetAction(result => ConfigSchemaCommand.Execute(result.InvocationConfiguration.Output));
        var config = new Command("config", "Work with the configuration file.");
        config.Subcommands.Add(check);
        config.Subcommands.Add(schema);
        root.Subcommands.Add(config);

        root.Subcommands.Add(IdentityCommand.Build(configOption, setOption));
        root.Subcommands.Add(RelayCommand.Build());
        root.Subcommands.Add(WatchdogCommand.Build(configOption, setOption));
        root.Subcommands.Add(DiodeStatusCommand.Build(configOption, setOption));
        root.Subcommands.Add(DoctorCommand.Build(configOption, setOption));
        root.Subcommands.Add(FleetCommand.Build());
        root.Subcommands.Add(SensorsCommand.Build(() => new global::Diode.Edge.Sensors.Hardware.LinuxSensorHardware()));

        var urlArgument = new Argument<Uri>("URL")
        {
            Description = "A stream's events URL, e.g. http://127.0.0.1:8080/streams/env/events (GET /streams lists the streams)",
            CustomParser = CliParsers.HttpUrl("URL", "http://127.0.0.1:8080/streams/env/events"),
        };
        var countOption = new Option<int?>("--count", "-n")
        {
            Description = "Exit after printing this many frames",
            HelpName = "N",
        };
        var deviceOption = new Option<string?>("--device", "-d")
        {
            Description = "The device address to verify every frame against (0x…). Without it, the address in the agent's /identity is trusted on first use",
            HelpName = "0xADDR",
        };
        var keepGoingOption = new Option<bool>("--keep-going")
        {
            Description = "Report forged frames on stderr and go on, instead of exiting with code 65",
        };
        var subscribe = new Command(
            "subscribe",
            "Print the frames of a stream as they arrive, one JSON frame per line, each verified against the device's address (Ctrl+C to stop). " +
            "Gaps and dropped replays are reported on stderr; a lost connection is resumed where it stopped.");
        subscribe.Arguments.Add(urlArgument);
        subscribe.Options.Add(countOption);
        subscribe.Options.Add(deviceOption);
        subscribe.Options.Add(keepGoingOption);
        subscribe.SetAction((result, ct) => SubscribeCommand.ExecuteAsync(
            new SubscribeCommand.Options(result.GetValue(urlArgument)!, result.GetValue(countOption), result.GetValue(deviceOption), result.GetValue(keepGoingOption)),
            Console.Out,
            Console.Error,
            ct));
        root.Subcommands.Add(subscribe);

        return root;
    }
}
