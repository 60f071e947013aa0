using System.CommandLine;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Watchdog;

namespace Diode.Edge.Agent.Cli;

/// <summary><c>diode-edge watchdog status</c>, <c>diode-edge watchdog test --hang</c> and <c>diode-edge watchdog reset-loop clear</c>.</summary>
internal static class WatchdogCommand
{
    public static Command Build(Option<string?> configOption, Option<string[]> setOption)
    {
        var watchdog = new Command("watchdog", "The hardware watchdog that resets the Pi when the agent or the system hangs.");

        var sysfs = new Option<string>("--sysfs") { Description = "Where the kernel describes watchdogs", DefaultValueFactory = _ => "/sys/class/watchdog", Hidden = true };
        var status = new Command("status", "Show the watchdog devices as the kernel describes them (identity, timeout, time left, whether the last reboot was the watchdog's) without arming them, and the agent's boot history (which check reset the board, whether a reset loop is suspended).");
        status.Options.Add(sysfs);
        status.SetAction(result => Status(result.GetValue(sysfs)!, result.GetValue(configOption), result.GetValue(setOption) ?? [], Console.Out, Console.Error));

        var hang = new Option<bool>("--hang") { Description = "Arm the watchdog, pet it a few times, then stop petting: THE BOARD RESETS when the timeout runs out" };
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation" };
        var test = new Command("test", "DANGEROUS: prove on real hardware that a hung Pi is reset. Stop the diode-edge service first (it holds the device).");
        test.Options.Add(hang);
        test.Options.Add(yes);
        test.SetAction((result, ct) => TestAsync(result.GetValue(configOption), result.GetValue(setOption) ?? [], result.GetValue(hang), result.GetValue(yes), ct));

        var resetLoop = new Command("reset-loop", "The reset-loop guard: a check that reset the board on each of the last boots (watchdog.resetLoop) stops closing the health gate.");
        var clear = new Command("clear", "Forget the boot history: a suspended check closes the health gate again (a running agent notices within a second).");
        clear.SetAction(result => ClearResetLoop(result.GetValue(configOption), result.GetValue(setOption) ?? [], Console.Out, Console.Error));
        var rewrite = new Command("rewrite-forever", "For the power-cut test: rewrites the boot history in a loop until killed.") { Hidden = true };
        rewrite.SetAction(result => RewriteForever(result.GetValue(configOption), result.GetValue(setOption) ?? [], Console.Out, Console.Error));
        resetLoop.Subcommands.Add(clear);
        resetLoop.Subcommands.Add(rewrite);

        watchdog.Subcommands.Add(status);
        watchdog.Subcommands.Add(test);
        watchdog.Subcommands.Add(resetLoop);
        return watchdog;
    }

    public static int Status(string sysfs, string? configPath, IReadOnlyList<string> sets, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        int code = PrintDevices(sysfs, output);
        LoadedConfig config;
        try
        {
            config = ConfigLoader.Load(configPath, sets);
        }
        catch (ConfigException ex)
        {
            return ConfigErrorPrinter.PrintErrors(ex, error);
        }

        PrintHistory(BootHistoryLocation.Guard(config.Options, TimeProvider.System), config.Options.Watchdog.ResetLoop, output);
        return code;
    }

    /// <summary>The boot history, oldest first, and the reset loop it makes for this boot, if any.</summary>
    public static void PrintHistory(ResetLoopGuard guard, ResetLoopOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(output);
        var records = guard.File.Load(out string? problem);
        output.WriteLine($"boot history ({guard.File.Path}):");
        if (problem is not null)
        {
            output.WriteLine($"  unreadable: {problem}");
        }
        else if (records.Count == 0)
        {
            output.WriteLine("  empty");
        }

        foreach (var boot in records)
        {
            string began = boot.ResetByWatchdog ? "after a watchdog reset" : "after a normal boot";
            string closed = boot.GateClosedBy is { } check ? $"gate closed by {check}{(boot.GateClosedByAgentLiveness ? " (agent liveness)" : string.Empty)}" : "gate not closed";
            string current = boot.BootId == guard.BootId ? "  (this boot)" : string.Empty;
            output.WriteLine($"  {boot.StartedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z  {began}, {closed}{current}");
        }

        string guardState = options.Boots <= 0
            ? "off (watchdog.resetLoop.boots is 0)"
            : ResetLoopGuard.FindLoop(records, guard.BootId, options) is { } loop
                ? $"{loop.Summary}; clear it with: sudo diode-edge watchdog reset-loop clear"
                : $"no loop ({options.Boots} watchdog resets by the same check within {Duration.Format(options.Window)} make one)";
        output.WriteLine($"resetLoop: {guardState}");
    }

    private static int PrintDevices(string sysfs, TextWriter output)
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

    private static int ClearResetLoop(string? configPath, IReadOnlyList<string> sets, TextWriter output, TextWriter error)
    {
        LoadedConfig config;
        try
        {
            config = ConfigLoader.Load(configPath, sets);
        }
        catch (ConfigException ex)
        {
            return ConfigErrorPrinter.PrintErrors(ex, error);
        }

        var guard = BootHistoryLocation.Guard(config.Options, TimeProvider.System);
        var records = guard.File.Load(out _);
        var loop = ResetLoopGuard.FindLoop(records, guard.BootId, config.Options.Watchdog.ResetLoop);
        try
        {
            guard.Clear();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot write {guard.File.Path}: {ex.Message} (run it as root or as the diode-edge user: sudo diode-edge watchdog reset-loop clear)");
            return ExitCodes.Unavailable;
        }

        output.WriteLine(loop is null
            ? $"boot history cleared ({guard.File.Path}); no reset loop was suspended"
            : $"boot history cleared ({guard.File.Path}); {loop.Check} closes the health gate again (a running agent ends the suspension within a second)");
        return ExitCodes.Ok;
    }

    /// <summary>Writes the history over and over with changing content, so a test that SIGKILLs it lands in the middle of writes.</summary>
    private static int RewriteForever(string? configPath, IReadOnlyList<string> sets, TextWriter output, TextWriter error)
    {
        LoadedConfig config;
        try
        {
            config = ConfigLoader.Load(configPath, sets);
        }
        catch (ConfigException ex)
        {
            return ConfigErrorPrinter.PrintErrors(ex, error);
        }

        var file = new BootHistoryFile(BootHistoryLocation.For(config.Options));
        output.WriteLine("rewriting " + file.Path);
        output.Flush();
        var start = DateTimeOffset.UtcNow;
        for (long round = 0; ; round++)
        {
            int count = (int)(round % BootHistoryFile.Capacity) + 1;
            var records = Enumerable.Range(0, count)
                .Select(i => new BootRecord($"round-{round}-boot-{i}", start.AddMinutes(i), i % 2 == 1, i % 3 == 0 ? "sensor:env" : null, false))
                .ToList();
            file.Save(records);
        }
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
