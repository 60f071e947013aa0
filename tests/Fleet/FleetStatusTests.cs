using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Diode.Edge.Agent;
using Diode.Edge.Agent.Fleet.Status;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;
using static Diode.Edge.Tests.Fleet.FleetAgents;

namespace Diode.Edge.Tests.Fleet;

/// <summary>
/// <c>diode-edge fleet status</c> and <c>fleet serve</c>, run as the real executable over real HTTP: real agents after a
/// 2-of-3 deployment, an address where nothing listens, stub devices with forged signatures or oversized answers, 200
/// stub devices against the clock, and the serve page in headless Chromium verifying every row itself (the collector
/// in-process: <see cref="FleetStatusCollectorTests"/>).
/// </summary>
[Trait("Tier", Tiers.Integration)]
public sealed class FleetStatusTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _work = new();

    private readonly TempDirectory[] _agentDirectories = [new(), new(), new()];

    private readonly FleetAgents _fleet = new(output);

    public void Dispose()
    {
        _fleet.Dispose(); // the agents first, then their directories
        foreach (var directory in _agentDirectories)
        {
            directory.Dispose();
        }

        _work.Dispose();
    }

    [Fact]
    public async Task Status_over_three_real_agents_and_an_unreachable_one_tells_each_row_the_truth_and_exits_69()
    {
        var dirs = _agentDirectories;
        // Each keeps its port across the restart that applies the deployment, as a Pi's agent does.
        int[] ports = [.. dirs.Select(_ => LoopbackPort.Free())];
        var agents = new Process[3];
        var devices = new string[3];
        for (int i = 0; i < 3; i++)
        {
            dirs[i].File("config.json", _fleet.Config(ports[i], Env));
            agents[i] = _fleet.Start(dirs[i].Path);
        }

        byte[] deployment = Deployment(1, SensorsConfig(Env, Barn), _fleet.Owners[0], _fleet.Owners[2]);
        for (int i = 0; i < 3; i++)
        {
            using var http = await ClientAsync(agents[i]);
            devices[i] = JsonDocument.Parse(await http.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;
            var (code, answer) = await PostAsync(http, deployment);
            Assert.True(code == HttpStatusCode.Accepted, answer.ToString());
        }

        for (int i = 0; i < 3; i++)
        {
            using var http = await ClientAsync(agents[i]); // started again with the deployment
            await WaitForStateAsync(http, devices[i], "applied", TimeSpan.FromSeconds(40));
        }

        string unreachable = $"http://127.0.0.1:{LoopbackPort.Free()}";
        string list = string.Join(',', ports.Select(p => $"http://127.0.0.1:{p}").Append(unreachable));
        var (exit, stdout, stderr) = await AgentProcess.RunAsync(_work.Path, null, "fleet", "status", "--devices", list, "--json", "--timeout", "3s");
        output.WriteLine(stdout + stderr);
        Assert.Equal(69, exit);
        var report = JsonSerializer.Deserialize(stdout, AgentJsonContext.Default.FleetStatusReport)!;
        Assert.Equal((4, 3, 1), (report.Devices, report.Ok, report.Unreachable));
        for (int i = 0; i < 3; i++)
        {
            var row = report.Rows[i];
            Assert.True(row.State == FleetRowStates.Ok, string.Join("; ", row.Problems));
            Assert.Equal(devices[i], row.Address);
            Assert.Equal(AgentVersion.Current, row.Version);
            Assert.Equal(FleetAgents.Fleet, row.Fleet);
            Assert.Equal((1ul, 1ul, "applied"), (row.Deployment!.AppliedSeq, row.Deployment.Seq, row.Deployment.State));
            Assert.True(row.Health is "healthy" or "degraded", row.Health);
            Assert.NotNull(row.LastFrameAgeSeconds);
            Assert.InRange(row.LastFrameAgeSeconds!.Value, 0, 30);
            Assert.False(row.WatchdogReset);
            Assert.NotNull(row.Diode);
            Assert.Empty(row.Problems);
        }

        var down = report.Rows[3];
        Assert.Equal((unreachable, FleetRowStates.Unreachable, (string?)null), (down.Given, down.State, down.Address));
        Assert.Contains("connection refused", Assert.Single(down.Problems), StringComparison.Ordinal);

        // The same for people: one aligned row each, the unreachable one saying so.
        (exit, stdout, _) = await AgentProcess.RunAsync(_work.Path, null, "fleet", "status", "--devices", list, "--timeout", "3s");
        output.WriteLine(stdout);
        Assert.Equal(69, exit);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("DEVICE", lines[0], StringComparison.Ordinal);
        int addressColumn = lines[0].IndexOf("ADDRESS", StringComparison.Ordinal);
        for (int i = 0; i < 3; i++)
        {
            string line = Assert.Single(lines, l => l.Contains(devices[i], StringComparison.Ordinal));
            Assert.Equal(addressColumn, line.IndexOf(devices[i], StringComparison.Ordinal));
            Assert.Contains("seq 1 applied", line, StringComparison.Ordinal);
        }

        Assert.Contains(lines, l => l.StartsWith(unreachable, StringComparison.Ordinal) && l.Contains(" unreachable ", StringComparison.Ordinal));
        Assert.StartsWith("3 of 4 ok, 1 unreachable", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_signature_or_an_oversized_answer_makes_its_row_unverified_and_exits_65()
    {
        await using var stubs = await StubFleetServer.StartAsync(StubDeviceFault.None, StubDeviceFault.ForgedIdentity, StubDeviceFault.ForgedStatus, StubDeviceFault.OversizedIdentity);
        string list = string.Join(',', Enumerable.Range(0, 4).Select(stubs.Url));
        var (exit, stdout, stderr) = await AgentProcess.RunAsync(_work.Path, null, "fleet", "status", "--devices", list, "--json");
        output.WriteLine(stdout + stderr);
        Assert.Equal(65, exit);
        var rows = JsonSerializer.Deserialize(stdout, AgentJsonContext.Default.FleetStatusReport)!.Rows;

        Assert.Equal((FleetRowStates.Ok, stubs.Devices[0].Key.Address), (rows[0].State, rows[0].Address));
        Assert.Equal((3ul, "applied"), (rows[0].Deployment!.AppliedSeq, rows[0].Deployment!.State));
        Assert.Equal((true, "validated", "healthy"), (rows[0].WatchdogReset, rows[0].Diode, rows[0].Health));

        // Signed by another key than the one it names: no address is claimed for it, nothing of it is believed.
        Assert.Equal((FleetRowStates.Unverified, (string?)null, (string?)null, (FleetDeploymentView?)null), (rows[1].State, rows[1].Address, rows[1].Version, rows[1].Deployment));
        Assert.Contains($"the statement naming {stubs.Devices[1].Key.Address} is signed by 0x", Assert.Single(rows[1].Problems), StringComparison.Ordinal);

        // Its identity is proven, its deployment status is not.
        Assert.Equal((FleetRowStates.Unverified, stubs.Devices[2].Key.Address, (FleetDeploymentView?)null), (rows[2].State, rows[2].Address, rows[2].Deployment));
        Assert.Contains($"not by the device {stubs.Devices[2].Key.Address}", Assert.Single(rows[2].Problems), StringComparison.Ordinal);

        Assert.Equal((FleetRowStates.Unverified, (string?)null), (rows[3].State, rows[3].Address));
        Assert.Equal($"identity: answer longer than {FleetStatusCollector.IdentityLimit} bytes refused", Assert.Single(rows[3].Problems));

        // For people: the forged rows say so, under their own line.
        (exit, stdout, _) = await AgentProcess.RunAsync(_work.Path, null, "fleet", "status", "--devices", list);
        output.WriteLine(stdout);
        Assert.Equal(65, exit);
        Assert.Contains("1 of 4 ok, 3 unverified", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_over_200_devices_each_verified_by_its_own_key_finishes_within_10_s()
    {
        await using var stubs = await StubFleetServer.StartAsync(Enumerable.Repeat(StubDeviceFault.None, 200).ToArray());
        _work.File("fleet.txt", "# 200 stub devices\n" + string.Join('\n', Enumerable.Range(0, 200).Select(stubs.Url)) + "\n");
        var clock = Stopwatch.StartNew();
        var (exit, stdout, stderr) = await AgentProcess.RunAsync(_work.Path, null, "fleet", "status", "--devices", "@fleet.txt", "--json");
        clock.Stop();
        Assert.True(exit == 0, stderr + stdout[..Math.Min(stdout.Length, 4000)]);
        var report = JsonSerializer.Deserialize(stdout, AgentJsonContext.Default.FleetStatusReport)!;
        output.WriteLine($"200 devices: the command took {clock.Elapsed.TotalSeconds:F2} s from start to exit, its poll {report.ElapsedMs / 1000:F2} s");
        Assert.Equal((200, 200), (report.Devices, report.Ok));
        Assert.Equal(stubs.Devices.Select(d => d.Key.Address), report.Rows.Select(r => r.Address));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Serve_page_verifies_each_row_in_the_browser_and_believes_no_server()
    {
        await using var stubs = await StubFleetServer.StartAsync(StubDeviceFault.None, StubDeviceFault.None, StubDeviceFault.None, StubDeviceFault.ForgedIdentity);
        string list = string.Join(',', Enumerable.Range(0, 4).Select(stubs.Url));
        int port = LoopbackPort.Free();
        using var serve = Process.Start(AgentProcess.StartInfo(_work.Path, null, "fleet", "serve", "--devices", list, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--interval", "2s"))!;
        try
        {
            string? line = await serve.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal($"serving the status of 4 devices, polled every 2s, on http://127.0.0.1:{port}/", line);
            var page = new Uri($"http://127.0.0.1:{port}/");

            // The same strict policy as the dashboard; another Host (DNS rebinding) gets nothing.
            using (var http = new HttpClient { BaseAddress = page })
            {
                using var index = await http.GetAsync("/");
                Assert.Equal(Agent.Dashboard.DashboardEndpoints.ContentSecurityPolicy, index.Headers.GetValues("Content-Security-Policy").Single());
                using var rebound = new HttpRequestMessage(HttpMethod.Get, "/fleet/status.json") { Headers = { Host = "evil.example:" + port } };
                Assert.Equal(HttpStatusCode.MisdirectedRequest, (await http.SendAsync(rebound)).StatusCode);
            }

            string screenshots = Path.Combine(RepoRoot.Path, "artifacts", "fleet-serve");
            Directory.CreateDirectory(screenshots);
            Assert.True(File.Exists(HeadlessDashboard.Chromium), $"{HeadlessDashboard.Chromium} is missing: apt-get install chromium (./test.sh does)");
            var result = await NodeVerifier.RunScriptAsync("fleet-page.mjs", string.Empty, [page.ToString(), screenshots, "4", "--tamper", stubs.Url(1)], TimeSpan.FromMinutes(3));
            output.WriteLine(result.ToString());
            Assert.False(result.TryGetProperty("error", out var error), $"in Chromium: {error}");
            Assert.Empty(result.GetProperty("consoleErrors").EnumerateArray());

            var plain = result.GetProperty("plain").GetProperty("rows").EnumerateArray().ToArray();
            for (int i = 0; i < 3; i++)
            {
                Assert.True(plain[i].GetProperty("verified").GetBoolean(), plain[i].ToString());
                Assert.Equal(stubs.Devices[i].Key.Address, plain[i].GetProperty("address").GetString());
            }

            Assert.False(plain[3].GetProperty("verified").GetBoolean());
            Assert.Contains("is signed by", plain[3].GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal("3 of 4 devices verified in this browser", result.GetProperty("plain").GetProperty("summary").GetString());

            // The server's answer altered on its way (its verdict still "ok"): the page's own check says no.
            var tampered = result.GetProperty("tampered").GetProperty("rows").EnumerateArray().ToArray();
            Assert.Equal("ok", tampered[1].GetProperty("serverState").GetString());
            Assert.False(tampered[1].GetProperty("verified").GetBoolean());
            Assert.Contains("deployment status is signed by", tampered[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal(stubs.Devices[1].Key.Address, tampered[1].GetProperty("address").GetString()); // its identity still proves itself
            Assert.True(tampered[0].GetProperty("verified").GetBoolean());
            Assert.True(tampered[2].GetProperty("verified").GetBoolean());

            // SIGTERM, as a service manager or Ctrl+C stops it: the server stops and the command exits 0.
            await Tool.RunAsync("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await serve.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(0, serve.ExitCode);
        }
        finally
        {
            if (!serve.HasExited)
            {
                serve.Kill(entireProcessTree: true);
                await serve.WaitForExitAsync();
            }
        }
    }
}
