using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Diode.Edge.Agent.Fleet;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;
using static Diode.Edge.Tests.Fleet.FleetAgents;

namespace Diode.Edge.Tests.Fleet;

/// <summary>
/// The owners' commands through the real executable, as an owner runs them: <c>fleet keygen</c> writes a 0600 key and
/// never replaces a file; two owners <c>fleet sign</c> in turn, the document otherwise kept byte for byte;
/// <c>fleet verify</c> counts distinct owners like a device; what the CLI signs, ethers attributes to the owner; and
/// <c>fleet push</c> reports per device what real agents made of a document, and what could not be reached (the
/// in-process parts: <see cref="FleetOwnerDocumentTests"/>).
/// </summary>
[Trait("Tier", Tiers.Integration)]
public sealed partial class FleetOwnerCommandTests(ITestOutputHelper output) : IDisposable
{
    private const string Unsigned = $$"""
        {
          "v": 1,
          "kind": "config",
          "fleet": "{{FleetAgents.Fleet}}",
          "seq": 7,
          "target": { "site": "greenhouse" },
          "notBefore": "2026-01-01T00:00:00Z",
          "expires": "2099-01-01T00:00:00Z",
          "rollbackAfter": "2m",
          "config": { "sensors": [ { "type": "simulated", "name": "air", "interval": "10s" } ] }
        }
        """;

    private readonly TempDirectory _dir = new();
    private readonly FleetAgents _fleet = new(output);

    public void Dispose()
    {
        _fleet.Dispose();
        _dir.Dispose();
    }

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var run = await AgentProcess.RunAsync(_dir.Path, null, args);
        output.WriteLine($"$ diode-edge {string.Join(' ', args)}  -> exit {run.ExitCode}\n{run.Stdout}{run.Stderr}");
        return run;
    }

    private async Task<string> KeygenAsync(string file)
    {
        var (code, stdout, _) = await RunAsync("fleet", "keygen", "--out", file);
        Assert.Equal(0, code);
        return OwnerAddress().Match(stdout).Groups[1].Value;
    }

    [GeneratedRegex(@"owner address: (0x[0-9a-fA-F]{40})")]
    private static partial Regex OwnerAddress();

    [Fact]
    public async Task Keygen_writes_an_owner_key_0600_prints_its_address_and_never_replaces_a_file()
    {
        string address = await KeygenAsync("owner.key");
        string path = Path.Combine(_dir.Path, "owner.key");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(DeviceKeyFile.Load(path).Address, address);
        string written = File.ReadAllText(path);

        var (code, stdout, stderr) = await RunAsync("fleet", "keygen", "--out", "owner.key");
        Assert.Equal(73, code);
        Assert.Equal("error: owner.key: already exists; it was not replaced", stderr.Trim());
        Assert.Empty(stdout);
        Assert.Equal(written, File.ReadAllText(path));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    [Fact]
    public async Task Owners_sign_in_turn_verify_counts_two_of_three_and_the_same_key_twice_is_refused()
    {
        string[] owners = [await KeygenAsync("a.key"), await KeygenAsync("b.key"), await KeygenAsync("c.key")];
        _dir.File("deployment.json", Unsigned);
        string ownersOption = string.Join(',', owners);

        // The first owner signs a document that has no signatures yet, into a new file.
        var (code, stdout, _) = await RunAsync("fleet", "sign", "deployment.json", "--key", "a.key", "--out", "signed.json");
        Assert.Equal(0, code);
        Assert.StartsWith($"signed by {owners[0]}: 1 signature now, in signed.json", stdout, StringComparison.Ordinal);
        Assert.Equal(Unsigned, File.ReadAllText(Path.Combine(_dir.Path, "deployment.json")));

        (code, stdout, _) = await RunAsync("fleet", "verify", "signed.json", "--owners", ownersOption, "--threshold", "2");
        Assert.Equal(2, code);
        Assert.Contains($"  1. {owners[0]} (owner)", stdout, StringComparison.Ordinal);
        Assert.Contains("threshold not met: signed by 1 of 3 owners, 2 needed", stdout, StringComparison.Ordinal);

        // The second signs the file the first produced, in place.
        (code, stdout, _) = await RunAsync("fleet", "sign", "signed.json", "--key", "b.key");
        Assert.Equal(0, code);
        Assert.StartsWith($"signed by {owners[1]}: 2 signatures now, in signed.json", stdout, StringComparison.Ordinal);

        (code, stdout, _) = await RunAsync("fleet", "verify", "signed.json", "--owners", ownersOption, "--threshold", "2");
        Assert.Equal(0, code);
        foreach (string claim in new[] { $"fleet:         {FleetAgents.Fleet}", "seq:           7", "target:        {\"site\":\"greenhouse\"}", "window:        2026-01-01T00:00:00Z to 2099-01-01T00:00:00Z (valid now)", "rollbackAfter: 2m", "configHash:    0x" })
        {
            Assert.Contains(claim, stdout, StringComparison.Ordinal);
        }

        Assert.Contains($"  1. {owners[0]} (owner)\n  2. {owners[1]} (owner)\n", stdout, StringComparison.Ordinal);
        Assert.Contains("threshold met: signed by 2 of 3 owners, 2 needed", stdout, StringComparison.Ordinal);

        // The same from the devices' own fleet section, through the global --config; with a threshold of 3 it is not met.
        string owned = string.Join(", ", owners.Select(o => $"\"{o}\""));
        _dir.File("config.json", $$"""{ "diode": { "fleet": "{{FleetAgents.Fleet}}", "enabled": false }, "fleet": { "owners": [{{owned}}], "threshold": 2 }, "sensors": [] }""");
        (code, stdout, _) = await RunAsync("fleet", "verify", "signed.json", "--config", "config.json");
        Assert.Equal(0, code);
        Assert.Contains("threshold met: signed by 2 of 3 owners, 2 needed", stdout, StringComparison.Ordinal);
        (code, stdout, _) = await RunAsync("--config", "config.json", "--set", "fleet.threshold=3", "fleet", "verify", "signed.json");
        Assert.Equal(2, code);
        Assert.Contains("threshold not met: signed by 2 of 3 owners, 3 needed", stdout, StringComparison.Ordinal);

        // The document is kept as written: the author's text, then only the signatures member.
        string signed = File.ReadAllText(Path.Combine(_dir.Path, "signed.json"));
        string authored = Unsigned[..Unsigned.LastIndexOf('}')].TrimEnd();
        Assert.StartsWith(authored + ",\n  \"signatures\": [\"0x", signed, StringComparison.Ordinal);
        var withoutSignatures = JsonNode.Parse(signed)!.AsObject();
        Assert.Equal(2, withoutSignatures["signatures"]!.AsArray().Count);
        withoutSignatures.Remove("signatures");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Unsigned), withoutSignatures));

        // The same key again: refused, the file untouched.
        (code, stdout, string stderr) = await RunAsync("fleet", "sign", "signed.json", "--key", "a.key");
        Assert.Equal(65, code);
        Assert.Equal($"error: signed.json: already signed by {owners[0]} (signature 1); an owner counts once, so it was not signed again", stderr.Trim());
        Assert.Empty(stdout);
        Assert.Equal(signed, File.ReadAllText(Path.Combine(_dir.Path, "signed.json")));
    }

    [Fact]
    public async Task Sign_refuses_a_key_others_can_read_and_an_invalid_document_naming_the_member()
    {
        await KeygenAsync("owner.key");
        _dir.File("deployment.json", Unsigned);
        File.SetUnixFileMode(Path.Combine(_dir.Path, "owner.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var (code, _, stderr) = await RunAsync("fleet", "sign", "deployment.json", "--key", "owner.key");
        Assert.Equal(78, code);
        Assert.Equal("error: owner.key: the owner key is readable by others (mode 644); run: chmod 600 owner.key", stderr.Trim());

        File.SetUnixFileMode(Path.Combine(_dir.Path, "owner.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _dir.File("zero.json", Unsigned.Replace("\"seq\": 7", "\"seq\": 0", StringComparison.Ordinal));
        (code, _, stderr) = await RunAsync("fleet", "sign", "zero.json", "--key", "owner.key");
        Assert.Equal(65, code);
        Assert.Equal("error: zero.json: seq: must be a whole number from 1", stderr.Trim());

        _dir.File("twice.json", Unsigned.Replace("\"v\": 1,", "\"signatures\": [], \"v\": 1, \"signatures\": [],", StringComparison.Ordinal));
        (code, _, stderr) = await RunAsync("fleet", "sign", "twice.json", "--key", "owner.key");
        Assert.Equal(65, code);
        Assert.Equal("error: twice.json: signatures: named more than once", stderr.Trim());

        (code, _, stderr) = await RunAsync("fleet", "verify", "zero.json", "--owners", FleetAgents.Fleet, "--threshold", "1");
        Assert.Equal(65, code);
        Assert.Equal("error: zero.json: seq: must be a whole number from 1", stderr.Trim());
        Assert.Equal(Unsigned.Replace("\"seq\": 7", "\"seq\": 0", StringComparison.Ordinal), File.ReadAllText(Path.Combine(_dir.Path, "zero.json")));
    }

    [Fact]
    public async Task What_the_CLI_signs_ethers_attributes_to_the_owner()
    {
        string first = await KeygenAsync("a.key");
        string second = await KeygenAsync("b.key");
        _dir.File("deployment.json", Unsigned);
        Assert.Equal(0, (await RunAsync("fleet", "sign", "deployment.json", "--key", "a.key")).Code);
        Assert.Equal(0, (await RunAsync("fleet", "sign", "deployment.json", "--key", "b.key")).Code);

        var recovered = await NodeVerifier.RunScriptAsync("deployment.mjs", new JsonObject
        {
            ["document"] = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir.Path, "deployment.json"))),
        }.ToJsonString(), ["recover"]);

        Assert.Equal([first, second], recovered.GetProperty("signers").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Push_to_two_agents_and_a_dead_address_reports_accepted_twice_and_unreachable_once()
    {
        var (agents, clients, devices) = await StartAgentsAsync(2);
        File.WriteAllBytes(Path.Combine(_dir.Path, "deployment.json"), Deployment(1, SensorsConfig(Env, Barn), _fleet.Owners[0], _fleet.Owners[2]));
        string dead = $"http://127.0.0.1:{LoopbackPort.Free()}";
        _dir.File("devices.txt", $"# the greenhouse\n{Url(clients[1])}\n\n{dead}   # switched off\n");

        var (code, stdout, _) = await RunAsync("fleet", "push", "deployment.json", "--devices", $"{Url(clients[0])},@devices.txt", "--timeout", "5s");

        Assert.Equal(1, code);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var client in clients)
        {
            Assert.Contains(lines, l => l.StartsWith(Url(client), StringComparison.Ordinal) && l.Contains($"accepted: seq 1, applying now, signed by {_fleet.Owners[0].Address}, {_fleet.Owners[2].Address}", StringComparison.Ordinal));
        }

        Assert.Contains(lines, l => l.StartsWith(dead, StringComparison.Ordinal) && l.Contains("unreachable: Connection refused", StringComparison.Ordinal));
        Assert.Equal("seq 1 to 3 devices: 2 accepted, 0 rejected, 1 unreachable", lines[^1]);

        for (int i = 0; i < agents.Length; i++)
        {
            var http = await ClientAsync(agents[i]); // the host started again with the deployment
            var status = await WaitForStateAsync(http, devices[i], "applied", TimeSpan.FromSeconds(40));
            Assert.Equal(1ul, status.GetProperty("appliedSeq").GetUInt64());
            Assert.Equal(["barn", "env"], await StreamIdsAsync(http));
        }
    }

    [Fact]
    public async Task Push_of_a_document_one_owner_signed_reports_the_device_rejection_and_reason()
    {
        var (_, clients, devices) = await StartAgentsAsync(1);
        File.WriteAllBytes(Path.Combine(_dir.Path, "deployment.json"), Deployment(1, SensorsConfig(Env, Barn), _fleet.Owners[1]));

        var (code, stdout, _) = await RunAsync("fleet", "push", "deployment.json", "--devices", Url(clients[0]));

        Assert.Equal(1, code);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches($@"^{Regex.Escape(Url(clients[0]))}\s+rejected: notEnoughSignatures: signed by 1 distinct owners, 2 needed \(\d+ ms\)$", lines[0]);
        Assert.Equal("seq 1 to 1 device: 0 accepted, 1 rejected, 0 unreachable", lines[^1]);
        Assert.Equal(["env"], await StreamIdsAsync(clients[0]));
        Assert.Equal("none", (await StatusAsync(clients[0], devices[0])).GetProperty("state").GetString());
    }

    private static string Url(HttpClient client) => client.BaseAddress!.ToString().TrimEnd('/');

    private async Task<(System.Diagnostics.Process[] Agents, HttpClient[] Clients, string[] Devices)> StartAgentsAsync(int count)
    {
        var agents = new System.Diagnostics.Process[count];
        var clients = new HttpClient[count];
        var devices = new string[count];
        for (int i = 0; i < count; i++)
        {
            string directory = Path.Combine(_dir.Path, $"pi-{i}");
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "config.json"), _fleet.Config(0, Env));
            agents[i] = _fleet.Start(directory);
        }

        for (int i = 0; i < count; i++)
        {
            clients[i] = await ClientAsync(agents[i]);
            devices[i] = JsonDocument.Parse(await clients[i].GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;
        }

        return (agents, clients, devices);
    }
}
