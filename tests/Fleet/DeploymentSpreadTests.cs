using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Diode.Edge.Agent.Fleet;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;
using static Diode.Edge.Tests.Fleet.FleetAgents;

namespace Diode.Edge.Tests.Fleet;

/// <summary>
/// A deployment spreads device to device with no server: device B lists device A's <c>/deployments/latest</c> in
/// <c>fleet.sources</c>, and once A runs a deployment posted to it, B fetches it, verifies it itself and applies it.
/// </summary>
[Trait("Tier", Tiers.Integration)]
public sealed class DeploymentSpreadTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _a = new();
    private readonly TempDirectory _b = new();
    private readonly TempDirectory _c = new();
    private readonly FleetAgents _fleet = new(output);

    public void Dispose()
    {
        _fleet.Dispose();
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
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

    [Fact]
    public async Task Three_devices_take_a_two_of_three_deployment_pushed_to_one_refuse_every_wrong_one_and_a_tag_target_reaches_only_its_device()
    {
        const string EnvFast = """{ "type": "simulated", "name": "env", "interval": "500ms" }""";
        int portA = FreePort();
        string pullFromA = $$""", "sources": [ "http://127.0.0.1:{{portA}}/deployments/latest" ], "pullInterval": "1s" """;
        _a.File("config.json", _fleet.Config(portA, Env));
        _b.File("config.json", _fleet.Config(0, Env, pullFromA));
        _c.File("config.json", _fleet.Config(0, Env, pullFromA, site: "barn"));
        var agents = new[] { _fleet.Start(_a.Path), _fleet.Start(_b.Path), _fleet.Start(_c.Path) };
        var devices = new string[3];
        var http = new HttpClient[3];
        for (int i = 0; i < 3; i++)
        {
            http[i] = await ClientAsync(agents[i]);
            devices[i] = JsonDocument.Parse(await http[i].GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;
        }

        // Owners 1 and 3 sign a change of env's interval and a new stream for every device; it is pushed to A alone.
        byte[] everywhere = Deployment(1, SensorsConfig(EnvFast, Barn), d => d["target"] = "all", _fleet.Owners[0], _fleet.Owners[2]);
        var (code, answer) = await PostAsync(http[0], everywhere);
        Assert.True(code == HttpStatusCode.Accepted, answer.ToString());
        for (int i = 0; i < 3; i++)
        {
            http[i] = await ClientAsync(agents[i]); // each started again with it: A pushed, B and C pulled from A
            Assert.Equal(1ul, (await WaitForStateAsync(http[i], devices[i], "applied", TimeSpan.FromSeconds(60))).GetProperty("appliedSeq").GetUInt64());
            Assert.Equal(["barn", "env"], await StreamIdsAsync(http[i]));
            var env = JsonDocument.Parse(await http[i].GetStringAsync("/streams")).RootElement.EnumerateArray().Single(s => s.GetProperty("id").GetString() == "env");
            Assert.Equal("500ms", env.GetProperty("interval").GetString());
        }

        // Every wrong document is refused by A with its reason, over HTTP, and changes nothing.
        var forged = JsonNode.Parse(Deployment(2, SensorsConfig(Env), d => d["target"] = "all", _fleet.Owners[0]))!;
        forged["signatures"]!.AsArray().Add(JsonNode.Parse(JsonSerializer.Serialize(
            DeploymentTypedData.Sign(_fleet.Owners[1], DeploymentDocument.Parse(Deployment(2, SensorsConfig(Barn), d => d["target"] = "all"), out _)!.Claims)))); // owner 2 signed another config
        var wrong = new (string Why, byte[] Document, HttpStatusCode Code, string Rejection)[]
        {
            ("one owner", Deployment(2, SensorsConfig(Env), d => d["target"] = "all", _fleet.Owners[1]), HttpStatusCode.Forbidden, "notEnoughSignatures"),
            ("a signature over other claims", System.Text.Encoding.UTF8.GetBytes(forged.ToJsonString()), HttpStatusCode.Forbidden, "notEnoughSignatures"),
            ("a replay", everywhere, HttpStatusCode.Conflict, "notNewer"),
            ("expired", Deployment(2, SensorsConfig(Env), d => { d["target"] = "all"; d["notBefore"] = "2020-01-01T00:00:00Z"; d["expires"] = "2021-01-01T00:00:00Z"; }, _fleet.Owners[0], _fleet.Owners[1]), HttpStatusCode.UnprocessableEntity, "expired"),
            ("another fleet", Deployment(2, SensorsConfig(Env), d => { d["target"] = "all"; d["fleet"] = "0x000000000000000000000000000000000000bEEF"; }, _fleet.Owners[0], _fleet.Owners[1]), HttpStatusCode.UnprocessableEntity, "wrongFleet"),
            ("an invalid config", Deployment(2, SensorsConfig("""{ "type": "simulated", "name": "env", "interval": "1ms" }"""), d => d["target"] = "all", _fleet.Owners[0], _fleet.Owners[1]), HttpStatusCode.UnprocessableEntity, "invalidConfig"),
        };
        foreach (var (why, document, expectedCode, rejection) in wrong)
        {
            (code, answer) = await PostAsync(http[0], document);
            Assert.True((expectedCode, rejection) == (code, answer.GetProperty("rejection").GetString()), $"{why}: {(int)code} {answer}");
            Assert.Equal(1ul, (await StatusAsync(http[0], devices[0])).GetProperty("appliedSeq").GetUInt64());
            Assert.Equal(["barn", "env"], await StreamIdsAsync(http[0]));
        }

        Assert.Contains("sensors[0].interval: 1ms is out of range", answer.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // A tag target: only the barn device takes it; a greenhouse device refuses it as not for it.
        byte[] barnOnly = Deployment(2, SensorsConfig(Env), d => d["target"] = new JsonObject { ["site"] = "barn" }, _fleet.Owners[1], _fleet.Owners[2]);
        (code, answer) = await PostAsync(http[1], barnOnly);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "notTargeted"), (code, answer.GetProperty("rejection").GetString()));
        (code, answer) = await PostAsync(http[2], barnOnly);
        Assert.True(code == HttpStatusCode.Accepted, answer.ToString());
        http[2] = await ClientAsync(agents[2]);
        Assert.Equal(2ul, (await WaitForStateAsync(http[2], devices[2], "applied", TimeSpan.FromSeconds(40))).GetProperty("appliedSeq").GetUInt64());
        Assert.Equal(["env"], await StreamIdsAsync(http[2]));
        Assert.Equal(1ul, (await StatusAsync(http[1], devices[1])).GetProperty("appliedSeq").GetUInt64());
        Assert.Equal(["barn", "env"], await StreamIdsAsync(http[1]));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
