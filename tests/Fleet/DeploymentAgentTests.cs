using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Diode.Edge.Agent.Fleet;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;

namespace Diode.Edge.Tests.Fleet;

/// <summary>
/// The real executable takes deployments over HTTP: one signed by 2 of 3 owners is applied (the host starts again in
/// the same process with the merged configuration) and kept once healthy; a replay, a downgrade and a document signed by
/// one owner change nothing; one that leaves a critical sensor dead is rolled back after its rollbackAfter, naming the
/// sensor, and is never taken again; all of it survives a SIGKILL; the status is signed by the device.
/// </summary>
public sealed class DeploymentAgentTests(ITestOutputHelper output) : IDisposable
{
    private const string Fleet = "0x1dd5c7daf2b0b2e4b2cd6bd0e7d85a9fa8e3c0a7";
    private readonly TempDirectory _dir = new();
    private readonly DeviceKey[] _owners = [.. Enumerable.Range(0, 3).Select(_ => new DeviceKey(DeviceKey.GeneratePrivateKeyHex()))];

    private readonly List<Process> _started = [];

    public void Dispose()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill(); // a failed assertion must not leave an agent running
                process.WaitForExit();
            }

            process.Dispose();
        }

        _dir.Dispose();
    }

    private static byte[] Deployment(ulong seq, JsonNode config, params DeviceKey[] signers)
    {
        var document = new JsonObject
        {
            ["v"] = 1,
            ["kind"] = "config",
            ["fleet"] = Fleet,
            ["seq"] = seq,
            ["target"] = new JsonObject { ["site"] = "greenhouse" },
            ["notBefore"] = "2026-01-01T00:00:00Z",
            ["expires"] = "2099-01-01T00:00:00Z",
            ["rollbackAfter"] = "10s",
            ["config"] = config,
            ["signatures"] = new JsonArray(),
        };
        var claims = DeploymentDocument.Parse(Encoding.UTF8.GetBytes(document.ToJsonString()), out string? problem)?.Claims ?? throw new Xunit.Sdk.XunitException(problem);
        foreach (var signer in signers)
        {
            document["signatures"]!.AsArray().Add(DeploymentTypedData.Sign(signer, claims));
        }

        return Encoding.UTF8.GetBytes(document.ToJsonString());
    }

    private static JsonNode Sensors(params string[] sensors) => JsonNode.Parse($$"""{ "sensors": [ {{string.Join(", ", sensors)}} ] }""")!;

    private const string Env = """{ "type": "simulated", "name": "env", "interval": "1s" }""";
    private const string Barn = """{ "type": "simulated", "name": "barn", "interval": "1s" }""";
    private const string DeadCritical = """{ "type": "bme280", "name": "dead", "bus": 99, "address": "0x76", "interval": "1s", "critical": true }""";

    [Fact]
    public async Task A_deployment_of_two_owners_is_applied_a_replay_and_one_owner_change_nothing_and_a_breaking_one_is_rolled_back_for_good()
    {
        string owners = string.Join(", ", _owners.Select(o => $"\"{o.Address}\""));
        _dir.File("config.json", $$"""
            { "http": { "port": 0 }, "identity": { "keyPath": "device.key" }, "store": { "path": "store.db" },
              "diode": { "fleet": "{{Fleet}}", "enabled": false },
              "fleet": { "owners": [{{owners}}], "threshold": 2, "tags": { "site": "greenhouse" } },
              "sensors": [ {{Env}} ] }
            """);
        byte[] first = Deployment(1, Sensors(Env, Barn), _owners[0], _owners[2]);
        byte[] breaking = Deployment(2, Sensors(Env, Barn, DeadCritical), _owners[1], _owners[2]);

        {
            var agent = Start();
            var http = await ClientAsync(agent);
            string device = JsonDocument.Parse(await http.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;
            Assert.Equal("none", (await StatusAsync(http, device)).GetProperty("state").GetString());

            // Applied: 202, the host starts again with both sensors, and is kept once healthy.
            var (code, answer) = await PostAsync(http, first);
            Assert.True(code == HttpStatusCode.Accepted, answer.ToString());
            Assert.Equal([_owners[0].Address, _owners[2].Address], answer.GetProperty("signers").EnumerateArray().Select(s => s.GetString()));
            http = await ClientAsync(agent);
            var status = await WaitForStateAsync(http, device, "applied", TimeSpan.FromSeconds(40));
            Assert.Equal(1ul, status.GetProperty("appliedSeq").GetUInt64());
            Assert.Equal(["barn", "env"], await StreamIdsAsync(http));
            Assert.Equal(first, await http.GetByteArrayAsync("/deployments/latest"));

            // A replay, and a newer one signed by one owner only: refused, nothing restarts.
            (code, answer) = await PostAsync(http, first);
            Assert.Equal((HttpStatusCode.Conflict, "notNewer"), (code, answer.GetProperty("rejection").GetString()));
            (code, answer) = await PostAsync(http, Deployment(3, Sensors(Env), _owners[1]));
            Assert.Equal((HttpStatusCode.Forbidden, "notEnoughSignatures"), (code, answer.GetProperty("rejection").GetString()));
            Assert.Equal(["barn", "env"], await StreamIdsAsync(http));

            // Breaking: a critical sensor on a bus that does not exist; rolled back after 10 s, naming it.
            (code, answer) = await PostAsync(http, breaking);
            Assert.True(code == HttpStatusCode.Accepted, answer.ToString());
            http = await ClientAsync(agent);
            Assert.Equal(["barn", "dead", "env"], await StreamIdsAsync(http));
            http = await ClientAsync(agent); // started again, with deployment 1
            status = await WaitForStateAsync(http, device, "rolledBack", TimeSpan.FromSeconds(10));
            output.WriteLine(status.ToString());
            Assert.Equal("sensor:dead", status.GetProperty("component").GetString());
            Assert.StartsWith("not healthy within 10s: sensor:dead: failed to start", status.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal((1ul, 2ul, 2ul), (status.GetProperty("appliedSeq").GetUInt64(), status.GetProperty("highestSeq").GetUInt64(), status.GetProperty("seq").GetUInt64()));
            Assert.Equal(["barn", "env"], await StreamIdsAsync(http));
            Assert.Equal(first, await http.GetByteArrayAsync("/deployments/latest"));
            (code, answer) = await PostAsync(http, breaking);
            Assert.Equal((HttpStatusCode.Conflict, "notNewer"), (code, answer.GetProperty("rejection").GetString()));
            // The refused replay is reported apart: it does not hide the rollback.
            status = await StatusAsync(http, device);
            Assert.Equal("rolledBack", status.GetProperty("state").GetString());
            Assert.Equal(("notNewer", "seq 2 is not newer than seq 2, the highest this device took"), (status.GetProperty("lastRejected").GetProperty("rejection").GetString(), status.GetProperty("lastRejected").GetProperty("reason").GetString()));

            string metrics = await http.GetStringAsync("/metrics");
            Assert.Equal(1, PrometheusText.Value(metrics, "diode_edge_deployment_applied_seq"));
            Assert.Equal(1, PrometheusText.Value(metrics, "diode_edge_deployment_rolled_back"));
            Assert.Equal(1, PrometheusText.Value(metrics, "diode_edge_deployments_offered_total{result=\"notNewer\"}"));
            using var health = JsonDocument.Parse(await http.GetStringAsync("/health"));
            Assert.Equal("rolledBack", health.RootElement.GetProperty("components").GetProperty("deployments").GetProperty("state").GetString());
            agent.Kill(); // SIGKILL
            await agent.WaitForExitAsync();
        }

        // After a kill: deployment 1's configuration runs, and seq 2 is still used.
        {
            var agent = Start();
            var http = await ClientAsync(agent);
            Assert.Equal(["barn", "env"], await StreamIdsAsync(http));
            string device = JsonDocument.Parse(await http.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;
            var status = await StatusAsync(http, device);
            Assert.Equal((1ul, 2ul, "rolledBack"), (status.GetProperty("appliedSeq").GetUInt64(), status.GetProperty("highestSeq").GetUInt64(), status.GetProperty("state").GetString()));
            var (code, answer) = await PostAsync(http, breaking);
            Assert.Equal((HttpStatusCode.Conflict, "notNewer"), (code, answer.GetProperty("rejection").GetString()));
            agent.Kill();
            await agent.WaitForExitAsync();
        }
    }

    private Process Start()
    {
        var process = Process.Start(AgentProcess.StartInfo(_dir.Path, null, "run", "--config", "config.json"))!;
        _started.Add(process);
        _ = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                try
                {
                    output.WriteLine("stderr: " + line);
                }
                catch (InvalidOperationException)
                {
                    return; // the test is over
                }
            }
        });
        return process;
    }

    /// <summary>A client for the host that starts next (each start prints its address: a restarted host listens on a new port 0).</summary>
    private static async Task<HttpClient> ClientAsync(Process agent) => new() { BaseAddress = await AgentProcess.ReadAddressAsync(agent), Timeout = TimeSpan.FromSeconds(10) };

    private static async Task<(HttpStatusCode, JsonElement)> PostAsync(HttpClient http, byte[] document)
    {
        using var response = await http.PostAsync("/deployments", new ByteArrayContent(document) { Headers = { ContentType = new("application/json") } });
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Length > 0, $"POST /deployments: {(int)response.StatusCode} with no body");
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone());
    }

    private static async Task<string[]> StreamIdsAsync(HttpClient http) =>
        [.. JsonDocument.Parse(await http.GetStringAsync("/streams")).RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];

    /// <summary>The signed status: the statement must be the device's, by its EIP-191 signature.</summary>
    private static async Task<JsonElement> StatusAsync(HttpClient http, string device)
    {
        using var signed = JsonDocument.Parse(await http.GetStringAsync("/deployments/status"));
        string statement = signed.RootElement.GetProperty("statement").GetString()!;
        Assert.Equal(device, Eip191.Recover(Encoding.UTF8.GetBytes(statement), signed.RootElement.GetProperty("sig").GetString()!));
        var body = JsonDocument.Parse(statement).RootElement.Clone();
        Assert.Equal("diode-edge/deployment-status", body.GetProperty("kind").GetString());
        return body;
    }

    private static async Task<JsonElement> WaitForStateAsync(HttpClient http, string device, string state, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var status = await StatusAsync(http, device);
            if (status.GetProperty("state").GetString() == state)
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no '{state}' within {within.TotalSeconds} s: {status}");
            await Task.Delay(250);
        }
    }
}
