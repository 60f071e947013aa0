using System.Diagnostics;
using System.Globalization;

namespace Diode.Edge.Tests.Support;

/// <summary>
/// The real diode-edge executable run from a config file for a long time: only its last lines are kept (a soak must not
/// grow the test's own memory), stopped by SIGTERM as systemd does.
/// </summary>
public sealed class AgentExecutable : IAsyncDisposable
{
    private const int KeptLines = 400;

    private readonly Process _process;
    private readonly Queue<string> _lines = new();
    private readonly Task _stdout;
    private readonly Task _stderr;

    private AgentExecutable(Process process, string name)
    {
        _process = process;
        Name = name;
        _stdout = PumpAsync(process.StandardOutput);
        _stderr = PumpAsync(process.StandardError);
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public HttpClient Http { get; private set; } = null!;

    public Uri Address => Http.BaseAddress!;

    public long LinesSeen { get; private set; }

    public IReadOnlyList<string> LastLines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts the shipped binary, or with <paramref name="jit"/> the JIT build of the same code (for what only a JIT runtime offers: the heap census).</summary>
    public static async Task<AgentExecutable> StartAsync(string name, string directory, string configJson, IReadOnlyDictionary<string, string>? environment = null, bool jit = false)
    {
        File.WriteAllText(Path.Combine(directory, "config.json"), configJson);
        var psi = jit ? AgentProcess.StartInfo(AgentProcess.JitCommand, directory, environment, "run", "--config", "config.json")
            : AgentProcess.StartInfo(directory, environment, "run", "--config", "config.json");
        var process = Process.Start(psi)!;
        var agent = new AgentExecutable(process, name);
        var deadline = Stopwatch.StartNew();
        Uri? address;
        while ((address = agent.StartedAddress()) is null)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited, $"{name} did not start:\n{string.Join('\n', agent.LastLines)}");
            await Task.Delay(50);
        }

        agent.Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        return agent;
    }

    /// <summary>Stops the agent with SIGTERM and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            await Tool.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
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
    }

    /// <summary>The address in the agent's start line ("… started with … on http://…"), if <paramref name="lines"/> hold it.</summary>
    public static Uri? StartedAddressIn(IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            int at = line.IndexOf(" on http://", StringComparison.Ordinal);
            if (line.Contains("started with", StringComparison.Ordinal) && at > 0)
            {
                return new Uri(line[(at + 4)..].Trim());
            }
        }

        return null;
    }

    private Uri? StartedAddress() => StartedAddressIn(LastLines);

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_lines)
            {
                LinesSeen++;
                _lines.Enqueue(line);
                if (_lines.Count > KeptLines)
                {
                    _lines.Dequeue();
                }
            }
        }
    }
}
