using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;
using static Diode.Edge.Tests.Fleet.FleetAgents;

namespace Diode.Edge.Tests.Fleet;

/// <summary>
/// A deployment spreads device to device with no server: device B lists device A's <c>/deployments/latest</c> in
/// <c>fleet.sources</c>, and once A runs a deployment posted to it, B fetches it, verifies it itself and applies it.
/// </summary>
public sealed class DeploymentSpreadTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _a = new();
    private readonly TempDirectory _b = new();
    private readonly FleetAgents _fleet = new(output);

    public void Dispose()
    {
        _fleet.Dispose();
        _a.Dispose();
        _b.Dispose();
    }

    [Fact]
    public async Task A_device_that_pulls_from_another_applies_the_deployment_that_one_runs()
    {
        int portA = FreePort(); // A keeps its port across the restart that applies the deployment, as a Pi's agent does
        _a.File("config.json", _fleet.Config(portA, Env));
        _b.File("config.json", _fleet.Config(0, Env, $$""", "sources": [ "http://127.0.0.1:{{portA}}/deployments/latest" ], "pullInterval": "1s" """));
        byte[] deployment = Deployment(1, SensorsConfig(Env, Barn), _fleet.Owners[0], _fleet.Owners[1]);

        var a = _fleet.Start(_a.Path);
        var b = _fleet.Start(_b.Path);
        var httpA = await ClientAsync(a);
        var httpB = await ClientAsync(b);
        string deviceB = JsonDocument.Parse(await httpB.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;
        await Task.Delay(2500); // B has asked A (404: A runs no deployment yet) and keeps asking
        Assert.Equal("none", (await StatusAsync(httpB, deviceB)).GetProperty("state").GetString());

        var (code, answer) = await PostAsync(httpA, deployment);
        Assert.True(code == HttpStatusCode.Accepted, answer.ToString());
        httpA = await ClientAsync(a);
        Assert.Equal(deployment, await httpA.GetByteArrayAsync("/deployments/latest"));

        httpB = await ClientAsync(b); // B started again with what it fetched
        var status = await WaitForStateAsync(httpB, deviceB, "applied", TimeSpan.FromSeconds(40));
        Assert.Equal(1ul, status.GetProperty("appliedSeq").GetUInt64());
        Assert.Equal(["barn", "env"], await StreamIdsAsync(httpB));
        Assert.Equal(deployment, await httpB.GetByteArrayAsync("/deployments/latest"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
