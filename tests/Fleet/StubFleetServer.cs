using Diode.Edge.Agent.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Tests.Fleet;

/// <summary>
/// Many devices on one in-test Kestrel port, each under <c>/d/{index}/</c> with a key of its own: its signed
/// <c>/identity</c>, signed <c>/deployments/status</c> and <c>/health</c>, as an agent answers them, or forged
/// (<see cref="StubDeviceFault"/>) where a test says so.
/// </summary>
internal sealed class StubFleetServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubFleetServer(WebApplication app, StubDevice[] devices, Uri root)
    {
        _app = app;
        Devices = devices;
        Root = root;
    }

    public IReadOnlyList<StubDevice> Devices { get; }

    public Uri Root { get; }

    /// <summary>The base URL of device <paramref name="index"/>.</summary>
    public string Url(int index) => new Uri(Root, $"d/{index}").AbsoluteUri;

    public static async Task<StubFleetServer> StartAsync(params StubDeviceFault[] faults)
    {
        var now = DateTimeOffset.UtcNow;
        var devices = faults.Select(fault => new StubDevice(new DeviceKey(DeviceKey.GeneratePrivateKeyHex()), fault, now)).ToArray();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/d/{index:int}/identity", (int index) => index >= 0 && index < devices.Length && devices[index].Fault == StubDeviceFault.OversizedIdentity
            ? Oversized()
            : Answer(devices, index, d => d.IdentityBody));
        app.MapGet("/d/{index:int}/deployments/status", (int index) => Answer(devices, index, d => d.StatusBody));
        app.MapGet("/d/{index:int}/health", (int index) => Answer(devices, index, d => d.HealthBody));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new StubFleetServer(app, devices, new Uri(address + "/"));
    }

    private static IResult Answer(StubDevice[] devices, int index, Func<StubDevice, byte[]> body) =>
        index >= 0 && index < devices.Length ? Results.Bytes(body(devices[index]), "application/json") : Results.NotFound();

    /// <summary>4 MB with no Content-Length: the bound must hold while reading.</summary>
    private static IResult Oversized() => Results.Stream(
        async stream =>
        {
            byte[] chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)' ');
            for (int i = 0; i < 64; i++)
            {
                await stream.WriteAsync(chunk);
            }
        },
        "application/json");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
