using System.Diagnostics;
using System.Text.Json;
using Diode.Edge.Agent.Diode;
using Diode.Edge.Agent.Verification;
using Diode.Edge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Tests.DiodeClient;

/// <summary>The supervisor with a real child process (the stand-in client), real signals and real process groups.</summary>
[Collection(TimingSensitive.Name)]
public sealed class DiodeSupervisorTests
{
    private static readonly string StandIn = Path.Combine(RepoRoot.Path, "tests", "DiodeStandIn", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "diode");

    private static string Config(string extra = "") => $$"""
        { "diode": { "enabled": true, "path": "{{StandIn}}", "mode": "protected", "restartDelay": "20ms", "restartCeiling": "200ms",
                     "stopGrace": "500ms", "revalidateTimeout": "1s" {{extra}} },
          "sensors": [ { "type": "simulated", "name": "env", "interval": "100ms" } ] }
        """;

    [Fact]
    public async Task The_client_is_started_in_its_own_process_group_and_its_state_address_and_node_are_reported()
    {
        await using var agent = await RunningAgent.StartAsync(Config());
        var supervisor = agent.Services.GetRequiredService<DiodeSupervisor>();
        await WaitAsync(() => supervisor.Status.State == DiodeState.Published);

        var status = supervisor.Status;
        Assert.Equal("v1.99.0-standin 2026-11-24", status.Version);
        Assert.Equal("eu1.prenet.diode.io:41046", status.Node);
        Assert.StartsWith("0x", status.ClientAddress, StringComparison.Ordinal);
        Assert.Equal(status.Pid, ProcessGroupOf(status.Pid!.Value));
        using var health = JsonDocument.Parse(await agent.Http.GetStringAsync("/health"));
        var diode = health.RootElement.GetProperty("components").GetProperty("diode");
        Assert.Equal("healthy", diode.GetProperty("status").GetString());
        Assert.Equal(status.ClientAddress, diode.GetProperty("clientAddress").GetString());
        Assert.Contains("diode_edge_diode_connected 1", await agent.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);

        using var dir = new TempDirectory();
        dir.File("config.json", $$"""{ "http": { "port": {{agent.Address.Port}} }, "sensors": [] }""");
        var (code, stdout, stderr) = await AgentProcess.RunAsync(dir.Path, null, "diode", "status", "--config", "config.json");
        Assert.True(code == 0, stderr);
        Assert.StartsWith("diode client: healthy", stdout, StringComparison.Ordinal);
        Assert.Contains(status.ClientAddress!, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hundred_SIGKILLs_give_a_hundred_restarts_within_the_backoff_and_leave_no_process_behind()
    {
        var random = new Random(7);
        int lastPid;
        await using (var agent = await RunningAgent.StartAsync(Config()))
        {
            var supervisor = agent.Services.GetRequiredService<DiodeSupervisor>();
            for (int i = 0; i < 100; i++)
            {
                await WaitAsync(() => supervisor.Status.Pid is not null && supervisor.Status.Restarts == i);
                await Task.Delay(random.Next(0, 60));
                int pid = supervisor.Status.Pid!.Value;
                Process.GetProcessById(pid).Kill();
                using var health = await agent.Http.GetAsync("/health");
                Assert.True(health.IsSuccessStatusCode, "the agent stays healthy while the client restarts");
            }

            await WaitAsync(() => supervisor.Status.Restarts == 100 && supervisor.Status.Pid is not null);
            lastPid = supervisor.Status.Pid!.Value;
            Assert.Equal(100, supervisor.RestartDelays.Count);
            Assert.All(supervisor.RestartDelays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromMilliseconds(200)));
        }

        Assert.False(Directory.Exists($"/proc/{lastPid}"), "the last client must be gone after the agent stopped");
        Assert.Empty(StandInProcesses());
        Assert.Empty(Zombies());
    }

    [Fact]
    public async Task A_client_that_ignores_SIGTERM_is_killed_after_the_grace_on_shutdown()
    {
        Environment.SetEnvironmentVariable("DIODE_STANDIN_IGNORE_SIGTERM", "1");
        try
        {
            var agent = await RunningAgent.StartAsync(Config());
            var supervisor = agent.Services.GetRequiredService<DiodeSupervisor>();
            await WaitAsync(() => supervisor.Status.State == DiodeState.Published);
            int pid = supervisor.Status.Pid!.Value;

            var watch = Stopwatch.StartNew();
            await agent.DisposeAsync();

            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(450), $"stopped after {watch.ElapsedMilliseconds} ms: SIGTERM was ignored, so the grace should have run out");
            Assert.False(Directory.Exists($"/proc/{pid}"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("DIODE_STANDIN_IGNORE_SIGTERM", null);
        }
    }

    [Fact]
    public async Task A_missing_binary_is_a_clear_state_and_no_restart_storm()
    {
        await using var agent = await RunningAgent.StartAsync(Config().Replace(StandIn, "/opt/nowhere/diode", StringComparison.Ordinal));
        var supervisor = agent.Services.GetRequiredService<DiodeSupervisor>();
        await WaitAsync(() => supervisor.Status.State == DiodeState.NotFound);
        await Task.Delay(1000);

        Assert.Equal(0, supervisor.Status.Restarts);
        Assert.Equal($"diode client not found at /opt/nowhere/diode; install it with: {DiodeSupervisor.InstallHint}", supervisor.Status.Detail);
        using var health = JsonDocument.Parse(await agent.Http.GetStringAsync("/health"));
        Assert.Equal("degraded", health.RootElement.GetProperty("components").GetProperty("diode").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_client_that_never_validates_or_disconnects_and_stays_down_is_restarted()
    {
        Environment.SetEnvironmentVariable("DIODE_STANDIN_BEHAVIOUR", "disconnect");
        Environment.SetEnvironmentVariable("DIODE_STANDIN_AFTER_MS", "200");
        try
        {
            await using var agent = await RunningAgent.StartAsync(Config());
            var supervisor = agent.Services.GetRequiredService<DiodeSupervisor>();
            await WaitAsync(() => supervisor.Status.Restarts >= 2);

            Assert.Contains(supervisor.Status.State, new[] { DiodeState.Starting, DiodeState.Connecting, DiodeState.Validated, DiodeState.Published, DiodeState.Disconnected, DiodeState.Crashed });
        }
        finally
        {
            Environment.SetEnvironmentVariable("DIODE_STANDIN_BEHAVIOUR", null);
            Environment.SetEnvironmentVariable("DIODE_STANDIN_AFTER_MS", null);
        }
    }

    [Fact]
    public async Task A_consumer_reaches_the_agent_through_the_clients_published_port_and_verifies_its_frames()
    {
        int forward = LoopbackPort.Free();
        Environment.SetEnvironmentVariable("DIODE_STANDIN_FORWARD_PORT", forward.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            await using var agent = await RunningAgent.StartAsync(Config());
            var supervisor = agent.Services.GetRequiredService<DiodeSupervisor>();
            await WaitAsync(() => supervisor.Status.State == DiodeState.Published);
            using var viaDiode = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{forward}") };
            string device = JsonDocument.Parse(await agent.Http.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;
            string viaDevice = JsonDocument.Parse(await viaDiode.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;
            Assert.Equal(device, viaDevice);
            await Task.Delay(500);

            using var history = JsonDocument.Parse(await viaDiode.GetStringAsync("/streams/env/history?limit=3"));

            var verifier = new FrameVerifier(device);
            Assert.Equal(3, history.RootElement.GetArrayLength());
            Assert.All(history.RootElement.EnumerateArray(), f => { var v = verifier.Verify(System.Text.Encoding.UTF8.GetBytes(f.GetRawText())); Assert.True(v.Accepted, v.Reason + " expected " + device); });
        }
        finally
        {
            Environment.SetEnvironmentVariable("DIODE_STANDIN_FORWARD_PORT", null);
        }
    }

    private static int ProcessGroupOf(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static List<int> StandInProcesses() =>
        [.. Directory.GetDirectories("/proc").Select(d => Path.GetFileName(d)).Where(n => n.All(char.IsAsciiDigit)).Select(int.Parse)
            .Where(pid => { try { return File.ReadAllText($"/proc/{pid}/cmdline").Contains(StandIn, StringComparison.Ordinal); } catch (IOException) { return false; } })];

    private static List<int> Zombies() =>
        [.. Directory.GetDirectories("/proc").Select(d => Path.GetFileName(d)).Where(n => n.All(char.IsAsciiDigit)).Select(int.Parse)
            .Where(pid =>
            {
                try
                {
                    string stat = File.ReadAllText($"/proc/{pid}/stat");
                    string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    return fields[0] == "Z" && fields[1] == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    return false;
                }
            })];

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 30 s");
            await Task.Delay(10);
        }
    }
}
