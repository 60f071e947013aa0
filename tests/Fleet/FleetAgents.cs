using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Diode.Edge.Agent.Fleet;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;

namespace Diode.Edge.Tests.Fleet;

/// <summary>Agents of one fleet for the deployment tests: three owners, real executables started and always killed, and the HTTP steps.</summary>
internal sealed class FleetAgents(ITestOutputHelper output) : IDisposable
{
    public const string Fleet = "0x1dd5c7daf2b0b2e4b2cd6bd0e7d85a9fa8e3c0a7";
    public DeviceKey[] Owners { get; } = [.. Enumerable.Range(0, 3).Select(_ => new DeviceKey(DeviceKey.GeneratePrivateKeyHex()))];

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
    }

    /// <summary>A device's config.json: these owners, 2 of them needed, tagged site=greenhouse, the Diode client off, <paramref name="fleetExtra"/> in the fleet section and <paramref name="sections"/> (members, each ending with a comma) at the top.</summary>
    public string Config(int port, string sensors, string fleetExtra = "", string sections = "", string site = "greenhouse")
    {
        string owners = string.Join(", ", Owners.Select(o => $"\"{o.Address}\""));
        return $$"""
            { {{sections}} "http": { "port": {{port}} }, "identity": { "keyPath": "device.key" }, "store": { "path": "store.db" },
              "diode": { "fleet": "{{Fleet}}", "enabled": false },
              "fleet": { "owners": [{{owners}}], "threshold": 2, "tags": { "site": "{{site}}" }{{fleetExtra}} },
              "sensors": [ {{sensors}} ] }
            """;
    }

    public static byte[] Deployment(ulong seq, JsonNode config, params DeviceKey[] signers) => Deployment(seq, config, _ => { }, signers);

    /// <summary>A deployment whose members <paramref name="edit"/> changes before the owners sign it (target, fleet, window).</summary>
    public static byte[] Deployment(ulong seq, JsonNode config, Action<JsonObject> edit, params DeviceKey[] signers)
    {
        ArgumentNullException.ThrowIfNull(edit);
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
        edit(document);
        var claims = DeploymentDocument.Parse(Encoding.UTF8.GetBytes(document.ToJsonString()), out string? problem)?.Claims ?? throw new Xunit.Sdk.XunitException(problem);
        foreach (var signer in signers)
        {
            document["signatures"]!.AsArray().Add(DeploymentTypedData.Sign(signer, claims));
        }

        return Encoding.UTF8.GetBytes(document.ToJsonString());
    }

    public static JsonNode SensorsConfig(params string[] sensors) => JsonNode.Parse($$"""{ "sensors": [ {{string.Join(", ", sensors)}} ] }""")!;

    public const string Env = """{ "type": "simulated", "name": "env", "interval": "1s" }""";
    public const string Barn = """{ "type": "simulated", "name": "barn", "interval": "1s" }""";
    public const string DeadCritical = """{ "type": "bme280", "name": "dead", "bus": 99, "address": "0x76", "interval": "1s", "critical": true }""";

    public Process Start(string directory)
    {
        var process = Process.Start(AgentProcess.StartInfo(directory, null, "run", "--config", "config.json"))!;
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
    public static async Task<HttpClient> ClientAsync(Process agent) => new() { BaseAddress = await AgentProcess.ReadAddressAsync(agent), Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<(HttpStatusCode, JsonElement)> PostAsync(HttpClient http, byte[] document)
    {
        using var response = await http.PostAsync("/deployments", new ByteArrayContent(document) { Headers = { ContentType = new("application/json") } });
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Length > 0, $"POST /deployments: {(int)response.StatusCode} with no body");
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone());
    }

    public static async Task<string[]> StreamIdsAsync(HttpClient http) =>
        [.. JsonDocument.Parse(await http.GetStringAsync("/streams")).RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];

    /// <summary>The signed status: the statement must be the device's, by its EIP-191 signature.</summary>
    public static async Task<JsonElement> StatusAsync(HttpClient http, string device)
    {
        using var signed = JsonDocument.Parse(await http.GetStringAsync("/deployments/status"));
        string statement = signed.RootElement.GetProperty("statement").GetString()!;
        Assert.Equal(device, Eip191.Recover(Encoding.UTF8.GetBytes(statement), signed.RootElement.GetProperty("sig").GetString()!));
        var body = JsonDocument.Parse(statement).RootElement.Clone();
        Assert.Equal("diode-edge/deployment-status", body.GetProperty("kind").GetString());
        return body;
    }

    public static async Task<JsonElement> WaitForStateAsync(HttpClient http, string device, string state, TimeSpan within)
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

