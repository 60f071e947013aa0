using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Sensors.Hardware;
using Microsoft.AspNetCore.Builder;

namespace Diode.Edge.Tests.Support;

/// <summary>The real agent host, started in-process on a free loopback port from a config file written by the test.</summary>
internal sealed class RunningAgent : IAsyncDisposable
{
    private readonly TempDirectory? _ownedDir;
    private readonly WebApplication _app;

    private RunningAgent(WebApplication app, TempDirectory? ownedDir, Uri address)
    {
        _app = app;
        _ownedDir = ownedDir;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<RunningAgent> StartAsync(string configJson) => StartAsync(configJson, new TempDirectory(), ownsDirectory: true);

    /// <summary>Starts an agent whose sensors talk to <paramref name="hardware"/> (emulated chips) instead of the machine's buses.</summary>
    public static Task<RunningAgent> StartAsync(string configJson, ISensorHardware hardware) => StartAsync(configJson, new TempDirectory(), ownsDirectory: true, hardware);

    /// <summary>Starts an agent that learns whether the system clock is synchronised from <paramref name="clock"/> instead of the kernel.</summary>
    public static Task<RunningAgent> StartAsync(string configJson, Diode.Edge.Agent.Clock.IClockSyncSource clock) => StartAsync(configJson, new TempDirectory(), ownsDirectory: true, clock: clock);

    /// <summary>Starts an agent whose key and store live in <paramref name="dir"/>, which outlives it (for restarts).</summary>
    public static Task<RunningAgent> StartAsync(string configJson, TempDirectory dir) => StartAsync(configJson, dir, ownsDirectory: false);

    private static async Task<RunningAgent> StartAsync(string configJson, TempDirectory dir, bool ownsDirectory, ISensorHardware? hardware = null, Diode.Edge.Agent.Clock.IClockSyncSource? clock = null)
    {
        string path = dir.File("config.json", configJson);
        List<string> sets = ["http.port=0", $"identity.keyPath={Path.Combine(dir.Path, "device.key")}"];
        using var parsed = System.Text.Json.JsonDocument.Parse(configJson, new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!(parsed.RootElement.TryGetProperty("store", out var store) && store.TryGetProperty("path", out _)))
        {
            sets.Add($"store.path={Path.Combine(dir.Path, "store.db")}");
        }

        // With diode.enabled the agent also listens on diode.consumerPort (8081 by default): agents in parallel tests must not share it.
        if (!(parsed.RootElement.TryGetProperty("diode", out var diode) && diode.TryGetProperty("consumerPort", out _)))
        {
            sets.Add($"diode.consumerPort={LoopbackPort.Free()}");
        }

        var config = ConfigLoader.Load(path, sets);
        var app = AgentHost.Build(config, hardware: hardware, clock: clock);
        await app.StartAsync();
        return new RunningAgent(app, ownsDirectory ? dir : null, app.BoundAddress());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _ownedDir?.Dispose();
    }
}
