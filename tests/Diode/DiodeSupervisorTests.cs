using System.Diagnostics;
using System.Text.Json;
using Diode.Edge.Agent.Diode;
using Diode.Edge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Tests.DiodeClient;

/// <summary>The supervisor in-process with a real child process (the stand-in client), real signals and real process groups.</summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Integration)]
public sealed class DiodeSupervisorTests
{
    private static readonly string StandIn = Path.Combine(RepoRoot.Path, "tests", "DiodeStandIn", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "diode");

    private static string Config(string extra = "") => $$"""
        { "diode": { "enabled": true, "path": "{{StandIn}}", "mode": "protected", "fleet": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                     "restartDelay": "20ms", "restartCeiling": "200ms", "stopGrace": "2s", "revalidateTimeout": "5s", "probeInterval": "1s" {{extra}} },
          "sensors": [ { "type": "simulated", "name": "env", "interval": "100ms" } ] }
        """;

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
    public async Task The_client_runs_in_a_process_group_of_its_own()
    {
        await using var agent = await RunningAgent.StartAsync(Config());
        var supervisor = agent.Services.GetRequiredService<DiodeSupervisor>();
        await WaitAsync(() => supervisor.Status.State == DiodeState.Published);

        Assert.Equal(supervisor.Status.Pid, ProcessGroupOf(supervisor.Status.Pid!.Value));
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
