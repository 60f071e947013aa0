using System.Net;
using System.Text;
using System.Text.Json;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;
using static Diode.Edge.Tests.Fleet.FleetAgents;

namespace Diode.Edge.Tests.Fleet;

/// <summary>
/// The deployment a device runs, where an owner and a consumer look: the device-signed <c>/identity</c> statement names
/// it (<c>"deployment":{"appliedSeq","state"}</c>), and the dashboard shows it from that statement, verified in the
/// browser, next to the health panel's deployments component. A real agent, Debian's headless Chromium.
/// </summary>
[Trait("Tier", Tiers.Integration)]
public sealed class DeploymentReportingTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FleetAgents _fleet = new(output);

    public void Dispose()
    {
        _fleet.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_signed_identity_statement_and_the_dashboard_name_the_deployment_the_device_runs()
    {
        _dir.File("config.json", _fleet.Config(0, Env));
        var agent = _fleet.Start(_dir.Path);
        var http = await ClientAsync(agent);
        var (device, before) = await SignedStatementAsync(http);
        Assert.Equal(0ul, before.GetProperty("deployment").GetProperty("appliedSeq").GetUInt64());
        Assert.Equal("none", before.GetProperty("deployment").GetProperty("state").GetString());

        var (code, answer) = await PostAsync(http, Deployment(1, SensorsConfig(Env, Barn), _fleet.Owners[0], _fleet.Owners[1]));
        Assert.True(code == HttpStatusCode.Accepted, answer.ToString());
        http = await ClientAsync(agent);
        await WaitForStateAsync(http, device, "applied", TimeSpan.FromSeconds(40));

        var (sameDevice, after) = await SignedStatementAsync(http);
        Assert.Equal(device, sameDevice);
        Assert.Equal(1ul, after.GetProperty("deployment").GetProperty("appliedSeq").GetUInt64());
        Assert.Equal("applied", after.GetProperty("deployment").GetProperty("state").GetString());

        var (result, _) = await HeadlessDashboard.RunAsync(http.BaseAddress!, "deployment", "--min-points", "2");
        var loaded = result.GetProperty("loaded");
        Assert.Equal("verified", loaded.GetProperty("badge").GetProperty("state").GetString());
        Assert.Equal(1ul, loaded.GetProperty("deployment").GetProperty("appliedSeq").GetUInt64());
        Assert.Equal("applied", loaded.GetProperty("deployment").GetProperty("state").GetString());
        Assert.Equal("deployment 1 · applied", loaded.GetProperty("deploymentText").GetString());
        Assert.Contains("appliedSeq 1", loaded.GetProperty("health").GetProperty("deployments").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Empty(result.GetProperty("consoleErrors").EnumerateArray());
    }

    [Fact]
    public async Task A_device_without_owners_names_no_deployment()
    {
        _dir.File("config.json", """{ "http": { "port": 0 }, "identity": { "keyPath": "device.key" }, "store": { "enabled": false }, "sensors": [ { "type": "simulated", "name": "env", "interval": "1s" } ] }""");
        var agent = _fleet.Start(_dir.Path);
        var http = await ClientAsync(agent);

        var (_, statement) = await SignedStatementAsync(http);

        Assert.False(statement.TryGetProperty("deployment", out _), statement.ToString());
    }

    /// <summary>GET /identity: the statement, checked to be signed by the address it names.</summary>
    private static async Task<(string Device, JsonElement Statement)> SignedStatementAsync(HttpClient http)
    {
        using var identity = JsonDocument.Parse(await http.GetStringAsync("/identity"));
        string address = identity.RootElement.GetProperty("address").GetString()!;
        string text = identity.RootElement.GetProperty("statement").GetString()!;
        Assert.Equal(address, Eip191.Recover(Encoding.UTF8.GetBytes(text), identity.RootElement.GetProperty("sig").GetString()!));
        var statement = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(address, statement.GetProperty("device").GetString());
        return (address, statement);
    }
}
