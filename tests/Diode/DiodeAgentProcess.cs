using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.DiodeClient;

/// <summary>
/// The real diode-edge executable supervising the Diode client stand-in (tests/DiodeStandIn, the real client's double):
/// its own directory, a consumer port and a config API port of its own, the stand-in's script in its environment,
/// every line of its output kept, and a stop by SIGTERM as systemd would.
/// </summary>
public sealed class DiodeAgentProcess : IAsyncDisposable
{
    public static readonly string StandIn = Path.Combine(RepoRoot.Path, "tests", "DiodeStandIn", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "diode");

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Task _stdout;
    private readonly Task _stderr;

    private DiodeAgentProcess(Process process, TempDirectory dir, int consumerPort)
    {
        _process = process;
        Directory = dir;
        ConsumerPort = consumerPort;
        _stdout = PumpAsync(process.StandardOutput);
        _stderr = PumpAsync(process.StandardError);
    }

    public TempDirectory Directory { get; }

    public int ConsumerPort { get; }

    public HttpClient Http { get; private set; } = null!;

    public string ArgsFile => Path.Combine(Directory.Path, "diode.args");

    public int Pid => _process.Id;

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Every start of <c>publish</c> the stand-in recorded.</summary>
    public IReadOnlyList<string> PublishStarts => File.Exists(ArgsFile) ? [.. File.ReadAllLines(ArgsFile).Where(l => l.Contains(" publish ", StringComparison.Ordinal))] : [];

    /// <param name="diode">Extra keys of the diode section (a JSON fragment starting with a comma, or empty).</param>
    /// <param name="identity">Extra keys of the identity section (a JSON fragment starting with a comma, or empty).</param>
    public static async Task<DiodeAgentProcess> StartAsync(string diode = "", IReadOnlyDictionary<string, string>? standIn = null, string extra = "", string identity = "", TempDirectory? dir = null)
    {
        dir ??= new TempDirectory();
        int consumerPort = LoopbackPort.Free();
        var section = new Dictionary<string, string>
        {
            ["path"] = JsonSerializer.Serialize(StandIn), ["mode"] = "\"protected\"", ["fleet"] = "\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"",
            ["dbPath"] = JsonSerializer.Serialize(Path.Combine(dir.Path, "diode", "private.db")), ["consumerPort"] = consumerPort.ToString(CultureInfo.InvariantCulture),
            ["restartDelay"] = "\"100ms\"", ["restartCeiling"] = "\"1s\"", ["stopGrace"] = "\"3s\"", ["revalidateTimeout"] = "\"3s\"", ["probeInterval"] = "\"1s\"",
        };
        if (diode.Trim().TrimStart(',') is { Length: > 0 } overrides)
        {
            using var parsed = JsonDocument.Parse("{" + overrides + "}");
            foreach (var property in parsed.RootElement.EnumerateObject())
            {
                section[property.Name] = property.Value.GetRawText();
            }
        }

        string diodeSection = string.Join(", ", section.Select(p => $"\"{p.Key}\": {p.Value}"));
        dir.File("config.json", $$"""
            { "http": { "port": 0 }, "identity": { "keyPath": "device.key" {{identity}} }, "store": { "enabled": false },
              "watchdog": { "enabled": false }, "log": { "level": "debug" },
              "diode": { {{diodeSection}} },
              "sensors": [ { "type": "simulated", "name": "env", "interval": "100ms" } ] {{extra}} }
            """);
        var environment = new Dictionary<string, string>(standIn ?? new Dictionary<string, string>()) { ["DIODE_STANDIN_ARGS_FILE"] = Path.Combine(dir.Path, "diode.args") };
        var process = Process.Start(AgentProcess.StartInfo(dir.Path, environment, "run", "--config", "config.json"))!;
        var agent = new DiodeAgentProcess(process, dir, consumerPort);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (agent.StartedAddress() is not { } address)
        {
            Assert.True(DateTime.UtcNow < deadline && !process.HasExited, "the agent did not start:\n" + string.Join('\n', agent.Lines));
            await Task.Delay(20);
        }

        agent.Http = new HttpClient { BaseAddress = agent.StartedAddress(), Timeout = TimeSpan.FromSeconds(20) };
        return agent;
    }

    /// <summary>The agent's diode component in /health.</summary>
    public async Task<JsonElement> DiodeHealthAsync()
    {
        // 503 when something is unhealthy: the body is the same report.
        using var response = await Http.GetAsync("/health");
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return health.RootElement.GetProperty("components").GetProperty("diode").Clone();
    }

    /// <summary>Polls /health until <paramref name="condition"/> holds for the diode component.</summary>
    public async Task<JsonElement> WaitForDiodeAsync(Func<JsonElement, bool> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var diode = await DiodeHealthAsync();
            if (condition(diode))
            {
                return diode;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not reached; last /health diode: {diode}\n--- agent output:\n{string.Join('\n', Lines.TakeLast(60))}");
            await Task.Delay(50);
        }
    }

    public static long Number(JsonElement diode, string name) => diode.TryGetProperty(name, out var value) ? value.GetInt64() : 0;

    public static string? Text(JsonElement diode, string name) => diode.TryGetProperty(name, out var value) ? value.ToString() : null;

    /// <summary>Stops the agent with SIGTERM (as systemd does) and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            _ = Tool.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        await Task.WhenAll(_stdout, _stderr).WaitAsync(TimeSpan.FromSeconds(10));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Dispose();
    }

    /// <summary>Live processes whose command line runs the stand-in from this agent's directory.</summary>
    public List<int> StandInProcesses() =>
        [.. System.IO.Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!, CultureInfo.InvariantCulture))
            .Where(pid =>
            {
                try
                {
                    return File.ReadAllText($"/proc/{pid}/cmdline").Contains(StandIn, StringComparison.Ordinal)
                        && File.ReadAllText($"/proc/{pid}/cmdline").Contains(Directory.Path, StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false;
                }
            })];

    private Uri? StartedAddress() => AgentExecutable.StartedAddressIn(_lines);

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            _lines.Enqueue(line);
        }
    }
}
