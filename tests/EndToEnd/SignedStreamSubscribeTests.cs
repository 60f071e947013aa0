using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;
using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Diode.Edge.Tests.EndToEnd;

/// <summary><c>subscribe --device</c> through the real executable: every frame verified, a forged one stops it with 65, replays dropped.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class SignedStreamSubscribeTests
{
    private const string Config = """{ "sensors": [ { "type": "simulated", "name": "env", "interval": "50ms" } ] }""";

    [Fact]
    public async Task Subscribe_with_device_verifies_every_frame_from_a_running_agent()
    {
        await using var agent = await RunningAgent.StartAsync(Config);
        string address = await AddressAsync(agent);
        using var dir = new TempDirectory();

        var (code, stdout, stderr) = await AgentProcess.RunAsync(dir.Path, null, "subscribe", new Uri(agent.Address, "/streams/env/events").ToString(), "--device", address.ToLowerInvariant(), "--count", "5");

        Assert.True(code == 0, stderr);
        var verifier = new FrameVerifier(address);
        Assert.All(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.True(verifier.Verify(Encoding.UTF8.GetBytes(line)).Accepted));
        Assert.Equal(5, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Subscribe_stops_with_65_on_a_forged_frame_unless_keep_going_and_drops_replays()
    {
        var device = new DeviceKey(DeviceKey.GeneratePrivateKeyHex());
        var forger = new DeviceKey(DeviceKey.GeneratePrivateKeyHex());
        var genuine = SignedFrames.Make(device, 3);
        var forged = SignedFrames.Make(forger, 4)[3];
        string body = Sse(genuine[0]) + Sse(genuine[1]) + Sse(genuine[1]) + Sse(forged) + Sse(genuine[2]);
        await using var hostile = await StartStaticSseServerAsync(body);
        using var dir = new TempDirectory();
        string url = new Uri(hostile.Urls.First() + "/streams/env/events").ToString();

        var (stopped, out1, err1) = await AgentProcess.RunAsync(dir.Path, null, "subscribe", url, "--device", device.Address, "--count", "3");
        var (kept, out2, err2) = await AgentProcess.RunAsync(dir.Path, null, "subscribe", url, "--device", device.Address, "--count", "3", "--keep-going");

        Assert.Equal(65, stopped);
        Assert.Equal(2, out1.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("dropped frame", err1, StringComparison.Ordinal);
        Assert.Contains($"REJECTED frame 1-4: signed by {forger.Address}", err1, StringComparison.Ordinal);
        Assert.Equal(0, kept);
        Assert.Equal(3, out2.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("REJECTED", err2, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartStaticSseServerAsync(string body)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/streams/env/events", async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        return app;
    }

    private static string Sse(Frame frame) => Encoding.UTF8.GetString(frame.Sse.Span).Replace($"id: {frame.Position}", $"id: 1-{frame.Position.Seq}", StringComparison.Ordinal);

    private static async Task<string> AddressAsync(RunningAgent agent) =>
        JsonDocument.Parse(await agent.Http.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;

    private static long Seq(JsonElement frame) => JsonDocument.Parse(frame.GetProperty("payload").GetString()!).RootElement.GetProperty("seq").GetInt64();
}
