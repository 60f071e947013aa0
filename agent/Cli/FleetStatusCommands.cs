using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Fleet.Status;

namespace Diode.Edge.Agent.Cli;

/// <summary>
/// <c>fleet status</c> (every listed device's verified address, agent version, deployment, health, last frame,
/// watchdog and Diode client, once) and <c>fleet serve</c> (the same on a live page that verifies each row itself).
/// </summary>
internal static class FleetStatusCommands
{
    public const int DefaultConcurrency = 64;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);
    public const int DefaultServePort = 8090;

    public static void AddTo(Command fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        fleet.Subcommands.Add(BuildStatus());
        fleet.Subcommands.Add(BuildServe());
    }

    private static Option<string> DevicesOption() => new("--devices")
    {
        Description = "The devices: comma-separated agent URLs (http://127.0.0.1:8080), relay URLs or Diode addresses (0x…, asked at http://0x….diode.link), and/or @FILE with one per line (# comments)",
        HelpName = "LIST",
        Required = true,
    };

    private static Option<int> ConcurrencyOption() => new("--concurrency")
    {
        Description = $"How many devices are asked at once (default {DefaultConcurrency})",
        HelpName = "N",
        DefaultValueFactory = _ => DefaultConcurrency,
    };

    private static Option<string> TimeoutOption() => new("--timeout")
    {
        Description = $"How long each device has to answer everything (default {Duration.Format(DefaultTimeout)})",
        HelpName = "DURATION",
        DefaultValueFactory = _ => Duration.Format(DefaultTimeout),
    };

    private static Command BuildStatus()
    {
        var devices = DevicesOption();
        var concurrency = ConcurrencyOption();
        var timeout = TimeoutOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON document (with each device's raw signed statements) instead of the table" };
        var status = new Command(
            "status",
            "Ask every listed device for its signed identity, its signed deployment status and its health, and print one row per device. " +
            $"Exit code 0 when every device answered and verified; {ExitCodes.DataError} when a signature did not verify; {ExitCodes.Unavailable} when a device did not answer (or not everything); {ExitCodes.Usage} for a bad list.");
        status.Options.Add(devices);
        status.Options.Add(concurrency);
        status.Options.Add(timeout);
        status.Options.Add(json);
        status.SetAction((result, ct) => StatusAsync(
            result.GetValue(devices)!, result.GetValue(concurrency), result.GetValue(timeout)!, result.GetValue(json), Console.Out, Console.Error, ct));
        return status;
    }

    private static Command BuildServe()
    {
        var devices = DevicesOption();
        var concurrency = ConcurrencyOption();
        var timeout = TimeoutOption();
        var port = new Option<int>("--port") { Description = $"The port of the page (default {DefaultServePort})", HelpName = "PORT", DefaultValueFactory = _ => DefaultServePort };
        var listen = new Option<string>("--listen") { Description = "The address the page listens on (default 127.0.0.1: this machine only)", HelpName = "ADDRESS", DefaultValueFactory = _ => "127.0.0.1" };
        var interval = new Option<string>("--interval") { Description = "How often the fleet is polled (default 10s)", HelpName = "DURATION", DefaultValueFactory = _ => "10s" };
        var serve = new Command(
            "serve",
            "Serve a page with the fleet's table, polled every interval, on which the browser verifies every row's signed identity and deployment status itself. Stops on Ctrl+C.");
        serve.Options.Add(devices);
        serve.Options.Add(port);
        serve.Options.Add(listen);
        serve.Options.Add(interval);
        serve.Options.Add(concurrency);
        serve.Options.Add(timeout);
        serve.SetAction((result, ct) => ServeAsync(
            result.GetValue(devices)!, result.GetValue(listen)!, result.GetValue(port), result.GetValue(interval)!, result.GetValue(concurrency), result.GetValue(timeout)!, Console.Out, Console.Error, ct));
        return serve;
    }

    public static async Task<int> StatusAsync(string devices, int concurrency, string timeout, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryReadOptions(devices, concurrency, timeout, error, out var targets, out var deadline))
        {
            return ExitCodes.Usage;
        }

        using var collector = new FleetStatusCollector(concurrency, deadline, TimeProvider.System);
        var report = await collector.CollectAsync(targets, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(json ? JsonSerializer.Serialize(report, AgentJsonContext.Default.FleetStatusReport) + "\n" : FleetStatusTable.Format(report)).ConfigureAwait(false);
        return ExitCodeOf(report);
    }

    /// <summary>0 when every row is ok; 65 when one did not verify (whatever else); 69 when one did not answer, or not everything.</summary>
    public static int ExitCodeOf(FleetStatusReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Unverified > 0 ? ExitCodes.DataError : report.Ok < report.Devices ? ExitCodes.Unavailable : ExitCodes.Ok;
    }

    public static async Task<int> ServeAsync(string devices, string listen, int port, string interval, int concurrency, string timeout, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryReadOptions(devices, concurrency, timeout, error, out var targets, out var deadline))
        {
            return ExitCodes.Usage;
        }

        if (!IPAddress.TryParse(listen, out var address))
        {
            await error.WriteLineAsync($"error: --listen: \"{listen}\" is not an IP address (e.g. 127.0.0.1)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (port is < 1 or > 65535)
        {
            await error.WriteLineAsync($"error: --port: {port} is not a port (1 to 65535)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (!Duration.TryParse(interval, out var every) || every < TimeSpan.FromSeconds(1))
        {
            await error.WriteLineAsync($"error: --interval: \"{interval}\" is not a duration of 1s or more (e.g. 10s)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        using var collector = new FleetStatusCollector(concurrency, deadline, TimeProvider.System);
        var poller = new FleetStatusPoller(collector, targets, every, TimeProvider.System);
        var endpoint = new IPEndPoint(address, port);
        await using var app = FleetStatusServer.Build(endpoint, poller);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"error: cannot listen on {endpoint}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }

        string host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"serving the status of {targets.Count} devices, polled every {Duration.Format(every)}, on http://{host}:{port}/")).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        // Returns on Ctrl+C/SIGTERM (the command's token) or when the server stops on its own; it then stops the server.
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static bool TryReadOptions(string devices, int concurrency, string timeout, TextWriter error, out IReadOnlyList<FleetDeviceTarget> targets, out TimeSpan deadline)
    {
        targets = [];
        deadline = default;
        try
        {
            targets = FleetDeviceList.Parse(devices, File.ReadAllText);
        }
        catch (FormatException ex)
        {
            error.WriteLine("error: --devices: " + ex.Message);
            return false;
        }

        if (concurrency is < 1 or > 4096)
        {
            error.WriteLine($"error: --concurrency: {concurrency} is not between 1 and 4096");
            return false;
        }

        if (!Duration.TryParse(timeout, out deadline) || deadline <= TimeSpan.Zero)
        {
            error.WriteLine($"error: --timeout: \"{timeout}\" is not a duration (e.g. 5s, 500ms)");
            return false;
        }

        return true;
    }
}
