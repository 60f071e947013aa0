using System.CommandLine;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Watchdog;

namespace Diode.Edge.Agent.Cli;

/// <summary><c>diode-edge watchdog status</c> and <c>diode-edge watchdog test --hang</c>.</summary>
public static class WatchdogCommand
{
    public static Command Build(Option<string?> configOption, Option<string[]> setOption)
    {
        var watchdog = new Command("watchdog", "The hardware watchdog that resets the Pi when the agent or the system hangs.");

        var sysfs = new Option<string>("--sysfs") { Description = "Where the kernel describes watchdogs", DefaultValueFactory = _ => "/sys/class/watchdog", Hidden = true };
        var status = new Command("status", "Show the watchdog devices as the kernel describes them (identity, timeout, time left, whether the last reboot was the watchdog's) without arming them.");
        status.Options.Add(sysfs);
        status.SetAction(result => Status(result.GetValue(sysfs)!, Console.Out));

        var hang = new Option<bool>("--hang") { Description = "Arm the watchdog, pet it a few times, then stop petting: THE BOARD RESETS when the timeout runs out" };
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation" };
        var test = new Command("test", "DANGEROUS: prove on real hardware that a hung Pi is reset. Stop the diode-edge service first (it holds the device).");
        test.Options.Add(hang);
        test.Options.Add(yes);
        test.SetAction((result, ct) => TestAsync(result.GetValue(configOption), result.GetValue(setOption) ?? [], result.GetValue(hang), result.GetValue(yes), ct));

        watchdog.Subcommands.Add(status);
        watchdog.Subcommands.Add(test);
        return watchdog;
    }

    public static int Status(string sysfs, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!Directory.Exists(sysfs) || Directory.GetDirectories(sysfs).Length == 0)
        {
            output.WriteLine("no watchdog on this machine (on a Raspberry Pi: add dtparam=watchdog=on to /boot/firmware/config.txt and reboot)");
            return ExitCodes.Unavailable;
        }

        foreach (string dir in Directory.GetDirectories(sysfs).Order(StringComparer.Ordinal))
        {
            string Read(string name) => File.Exists(Path.Combine(dir, name)) ? File.ReadAllText(Path.Combine(dir, name)).Trim() : "-";
            string boot = Read("bootstatus");
            bool byWatchdog = int.TryParse(boot, out int flags) && (flags & WatchdogInfo.CardReset) != 0;
            output.WriteLine($"/dev/{Path.GetFileName(dir)}");
            output.WriteLine($"  identity:    {Read("identity")}");
            output.WriteLine($"  state:       {Read("state")}");
            output.WriteLine($"  timeout:     {Read("timeout")} s (max {Read("max_timeout")} s)");
            output.WriteLine($"  time left:   {Read("timeleft")} s");
            output.WriteLine($"  nowayout:    {Read("nowayout")}");
            output.WriteLine($"  boot status: {boot}{(byWatchdog ? " (the last reboot was caused by the watchdog)" : string.Empty)}");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> TestAsync(string? configPath, IReadOnlyList<string> sets, bool hang, bool yes, CancellationToken cancellationToken)
    {
        if (!hang)
        {
            await Console.Error.WriteLineAsync("error: say --hang to run the reset test (it resets the board)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        LoadedConfig config;
        try
        {
            config = ConfigLoader.Load(configPath, sets);
        }
        catch (ConfigException ex)
        {
            return ConfigErrorPrinter.PrintErrors(ex, Console.Error);
        }

        var options = config.Options.Watchdog;
        if (!yes)
        {
            await Console.Out.WriteAsync($"This arms {options.Device} and stops petting it: the board resets in about {options.Timeout.TotalSeconds:F0} s. Type 'reset' to go on: ").ConfigureAwait(false);
            if (Console.ReadLine()?.Trim() != "reset")
            {
                await Console.Out.WriteLineAsync("not run").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
        }

        IWatchdogDevice device;
        try
        {
            device = options.Device == "simulated" ? SimulatedWatchdogDevice.Open(TimeProvider.System) : LinuxWatchdogDevice.Open(options.Device);
        }
        catch (WatchdogException ex)
        {
            string hint = ex.Errno == WatchdogException.EBUSY ? " (stop the service first: sudo systemctl stop diode-edge)" : string.Empty;
            await Console.Error.WriteLineAsync("error: " + ex.Message + hint).ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }

        var timeout = device.SetTimeout(options.Timeout);
        await Console.Out.WriteLineAsync($"{options.Device} ({device.Info.Identity}) armed with a {timeout.TotalSeconds:F0} s timeout; petting 3 times, then hanging").ConfigureAwait(false);
        for (int i = 0; i < 3; i++)
        {
            device.Keepalive();
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }

        var started = DateTime.UtcNow;
        while (!cancellationToken.IsCancellationRequested)
        {
            var left = device.GetTimeLeft();
            await Console.Out.WriteLineAsync($"not petting for {(DateTime.UtcNow - started).TotalSeconds:F0} s; time left: {(left is { } l ? $"{l.TotalSeconds:F0} s" : "unknown")}").ConfigureAwait(false);
            if (device is SimulatedWatchdogDevice { Expired: true })
            {
                await Console.Out.WriteLineAsync("the simulated watchdog expired: a real board would have reset now").ConfigureAwait(false);
                device.Dispose();
                return ExitCodes.Ok;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None).ConfigureAwait(false);
        }

        device.Dispose();
        return ExitCodes.Ok;
    }
}
