using System.Net;
using System.Text;
using Diode.Edge.Agent.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Tests.FanOut;

/// <summary>
/// An upstream that speaks just enough of the agent's protocol to feed a relay or <c>subscribe</c> whatever a test
/// wants: a given <c>/streams</c> body, and on the first connection to <c>/streams/env/events</c> a given writer, after
/// which that connection ends (later connections get nothing and stay open, so a reconnection repeats nothing).
/// </summary>
internal sealed class HostileUpstream : IAsyncDisposable
{
    public const string EnvStreams = """[{"id":"env","type":"simulated","quantities":[{"name":"temperature","unit":"Cel"}],"interval":"1s","epoch":1,"lastSeq":3,"consumers":0}]""";

    private readonly WebApplication _app;
    private int _connections;

    private HostileUpstream(WebApplication app) => _app = app;

    public Uri Address => _app.BoundAddress();

    public Uri Events => new(Address, "/streams/env/events");

    public static Task<HostileUpstream> StartAsync(string device, string events) =>
        StartAsync(device, EnvStreams, (body, ct) => body.WriteAsync(Encoding.UTF8.GetBytes(events), ct).AsTask());

    public static async Task<HostileUpstream> StartAsync(string device, string streams, Func<Stream, CancellationToken, Task> firstConnection)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var upstream = new HostileUpstream(app);
        app.MapGet("/identity", () => Results.Text($$$"""{"address":"{{{device}}}","fleet":null,"version":"0","statement":"{}","sig":"0x"}""", "application/json"));
        app.MapGet("/streams", () => Results.Text(streams, "application/json"));
        app.MapGet("/streams/env/events", async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.StartAsync(context.RequestAborted);
            if (Interlocked.Increment(ref upstream._connections) == 1)
            {
                await firstConnection(context.Response.Body, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await app.StartAsync();
        return upstream;
    }

    /// <summary>Frames as the SSE text an agent writes.</summary>
    public static string Sse(IEnumerable<Diode.Edge.Agent.Streams.Frame> frames) => string.Concat(frames.Select(f => Encoding.UTF8.GetString(f.Sse.Span)));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
