using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Diode.Edge.Tests.Support;

/// <summary>The real agent host, started in-process on a free loopback port from a config file written by the test.</summary>
public sealed class RunningAgent : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly WebApplication _app;

    private RunningAgent(WebApplication app, TempDirectory dir, Uri address)
    {
        _app = app;
        _dir = dir;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<RunningAgent> StartAsync(string configJson)
    {
        var dir = new TempDirectory();
        string path = dir.File("config.json", configJson);
        var config = ConfigLoader.Load(path, ["http.port=0", $"identity.keyPath={Path.Combine(dir.Path, "device.key")}", $"store.path={Path.Combine(dir.Path, "store.db")}"]);
        var app = AgentHost.Build(config);
        await app.StartAsync();
        return new RunningAgent(app, dir, app.BoundAddress());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _dir.Dispose();
    }
}
