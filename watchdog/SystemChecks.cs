using System.Globalization;
using Microsoft.Extensions.Hosting;

namespace Diode.Edge.Watchdog;

/// <summary>
/// The Debian watchdog daemon's tests, run every <c>checks.interval</c> and reported to the <see cref="HealthGate"/>:
/// minimum available memory, maximum load averages, maximum SoC temperature, a file that must stay fresh, a test
/// command that must exit 0 in time (run by <paramref name="runCommand"/>). A check that cannot be read fails, naming the file.
/// </summary>
public sealed class SystemChecks(WatchdogChecksOptions options, HealthGate gate, TimeProvider time, TestCommandRunner runCommand) : BackgroundService
{
    public string ProcRoot { get; init; } = "/proc";

    public bool AnyEnabled =>
        options.MinFreeMemory > 0 || options.MaxLoad1 > 0 || options.MaxLoad5 > 0 || options.MaxLoad15 > 0 || options.MaxTemperature > 0 || options.File is not null || options.TestCommand is not null;

    /// <summary>Runs every check once; null when all hold, otherwise the first failure.</summary>
    public async Task<string?> RunOnceAsync(CancellationToken cancellationToken) =>
        (await RunAllAsync(cancellationToken).ConfigureAwait(false)) is [var first, ..] ? first.Message : null;

    /// <summary>
    /// Runs every check once and returns each that fails, named (<c>memory</c>, <c>load</c>, <c>temperature</c>,
    /// <c>file</c>, <c>test command</c>): all of them, so one the reset-loop guard suspended hides none after it.
    /// </summary>
    public async Task<IReadOnlyList<GateFailure>> RunAllAsync(CancellationToken cancellationToken)
    {
        List<GateFailure> failures = [];
        Run("memory", CheckMemory, failures);
        Run("load", CheckLoad, failures);
        Run("temperature", CheckTemperature, failures);
        Run("file", CheckFile, failures);
        try
        {
            Add("test command", await CheckCommandAsync(cancellationToken).ConfigureAwait(false), failures);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or System.ComponentModel.Win32Exception)
        {
            Add("test command", "test command: " + ex.Message, failures);
        }

        return failures;
    }

    private static void Run(string check, Func<string?> run, List<GateFailure> failures)
    {
        try
        {
            Add(check, run(), failures);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            Add(check, $"{check}: cannot be read: {ex.Message}", failures);
        }
    }

    private static void Add(string check, string? failure, List<GateFailure> failures)
    {
        if (failure is not null)
        {
            failures.Add(new GateFailure(check, failure, AgentLiveness: false));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!AnyEnabled)
        {
            return;
        }

        var staleAfter = TimeSpan.FromTicks(options.Interval.Ticks * 3) + options.TestTimeout + TimeSpan.FromSeconds(10);
        using var timer = new PeriodicTimer(options.Interval, time);
        try
        {
            do
            {
                gate.ReportSystemChecks(await RunAllAsync(stoppingToken).ConfigureAwait(false), staleAfter);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private string? CheckMemory()
    {
        if (options.MinFreeMemory <= 0)
        {
            return null;
        }

        string line = File.ReadLines(Path.Combine(ProcRoot, "meminfo")).First(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
        long available = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return available < options.MinFreeMemory ? $"memory: {available >> 20} MB available, below watchdog.checks.minFreeMemory ({options.MinFreeMemory >> 20} MB)" : null;
    }

    private string? CheckLoad()
    {
        if (options.MaxLoad1 <= 0 && options.MaxLoad5 <= 0 && options.MaxLoad15 <= 0)
        {
            return null;
        }

        string[] load = File.ReadAllText(Path.Combine(ProcRoot, "loadavg")).Split(' ');
        double[] values = [.. load.Take(3).Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
        double[] limits = [options.MaxLoad1, options.MaxLoad5, options.MaxLoad15];
        string[] names = ["maxLoad1", "maxLoad5", "maxLoad15"];
        for (int i = 0; i < 3; i++)
        {
            if (limits[i] > 0 && values[i] > limits[i])
            {
                return $"load: {values[i]:F2} above watchdog.checks.{names[i]} ({limits[i]:F2})";
            }
        }

        return null;
    }

    private string? CheckTemperature()
    {
        if (options.MaxTemperature <= 0)
        {
            return null;
        }

        double celsius = long.Parse(File.ReadAllText(options.TemperatureDevice).Trim(), CultureInfo.InvariantCulture) / 1000.0;
        return celsius > options.MaxTemperature ? $"temperature: {celsius:F1} Cel above watchdog.checks.maxTemperature ({options.MaxTemperature:F1} Cel)" : null;
    }

    private string? CheckFile()
    {
        if (options.File is null)
        {
            return null;
        }

        if (!File.Exists(options.File))
        {
            return $"file: {options.File} does not exist (watchdog.checks.file)";
        }

        var age = time.GetUtcNow() - File.GetLastWriteTimeUtc(options.File);
        return age > options.FileMaxAge ? $"file: {options.File} last changed {age.TotalSeconds:F0} s ago, more than watchdog.checks.fileMaxAge ({options.FileMaxAge.TotalSeconds:F0} s)" : null;
    }

    private async Task<string?> CheckCommandAsync(CancellationToken cancellationToken)
    {
        if (options.TestCommand is null)
        {
            return null;
        }

        string[] parts = options.TestCommand.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // Its output is not needed, only its exit code: read and dropped, never kept (a test command that never stops writing costs nothing).
        if (await runCommand(parts[0], parts[1..], options.TestTimeout, cancellationToken).ConfigureAwait(false) is not { } code)
        {
            return $"test command: {options.TestCommand} did not finish within watchdog.checks.testTimeout ({options.TestTimeout.TotalSeconds:F0} s)";
        }

        // It runs through setsid in its own process group, so a program that is missing or not executable shows as the
        // shell's codes, said in words.
        return code switch
        {
            0 => null,
            127 => $"test command: {options.TestCommand} exited with 127 ({parts[0]} not found)",
            126 => $"test command: {options.TestCommand} exited with 126 ({parts[0]} is not executable)",
            _ => $"test command: {options.TestCommand} exited with {code}",
        };
    }
}
