using System.Globalization;
using System.Text.Json;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.DiodeClient;

/// <summary>
/// A Diode client that misbehaves as no real one should (endless binary output, a grandchild holding its pipes, exiting
/// in a loop), run by the real agent: every outcome bounded in memory and time, and nothing it started outlives it.
/// </summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Hostile)]
public sealed class HostileDiodeClientTests
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static string Script(TempDirectory dir, string body)
    {
        string path = dir.File("hostile-diode", "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, Executable);
        return path;
    }

    [Fact]
    public async Task Endless_binary_output_without_newlines_costs_bounded_memory_and_is_counted()
    {
        var dir = new TempDirectory();
        string client = Script(dir, "case \"$*\" in *publish*) exec tr -d '\\n' < /dev/urandom;; esac\necho 'INFO Diode Client version : v1.18.8 16 Jul 2026' >&2");
        await using var agent = await DiodeAgentProcess.StartAsync($", \"path\": {JsonSerializer.Serialize(client)}", dir: dir);
        await using var rss = PeakRss.Watch(agent.Pid);

        await Task.Delay(TimeSpan.FromSeconds(10));

        long growth = await rss.RecordAsync("Diode client: 10 s of random bytes without a newline");
        Assert.True(growth < 64L << 20, $"the agent grew by {growth >> 20} MB in 10 s of a client writing random bytes without end");
        string metrics = await agent.Http.GetStringAsync("/metrics");
        Assert.Matches(@"diode_edge_diode_truncated_lines_total [1-9]", metrics);
        Assert.True((await agent.Http.GetAsync("/health")).StatusCode is System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task A_client_that_exits_leaving_a_grandchild_on_its_pipes_is_noticed_at_once_and_the_grandchild_killed()
    {
        var dir = new TempDirectory();
        string pids = Path.Combine(dir.Path, "grandchildren");
        string client = Script(dir, $"case \"$*\" in *version*) exit 0;; esac\nsleep 300 &\necho $! >> {pids}\nexit 3");
        await using var agent = await DiodeAgentProcess.StartAsync($", \"path\": {JsonSerializer.Serialize(client)}, \"restartDelay\": \"2s\", \"restartCeiling\": \"2s\"", dir: dir);

        var diode = await agent.WaitForDiodeAsync(d => DiodeAgentProcess.Number(d, "restarts") >= 1, TimeSpan.FromSeconds(10));

        Assert.Contains("exited with code 3", DiodeAgentProcess.Text(diode, "lastRestartReason"), StringComparison.Ordinal);
        int grandchild = int.Parse(File.ReadAllLines(pids)[0], CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (IsAlive(grandchild))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the grandchild {grandchild} outlived the client that started it: {File.ReadAllText($"/proc/{grandchild}/stat")} agent {File.ReadAllText($"/proc/{agent.Pid}/stat")[..60]} {string.Join(" | ", agent.Lines.Where(l => l.Contains("started pid", StringComparison.Ordinal)))}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Descendants_that_left_the_clients_group_die_with_it_are_reaped_and_do_not_delay_the_agents_stop()
    {
        var dir = new TempDirectory();
        string pids = Path.Combine(dir.Path, "escaped");
        // One grandchild in a session of its own, and one double-forked into another session whose parent is gone at once
        // (re-parented to the agent, the subreaper); then the client runs on, until the agent stops.
        string client = Script(dir, $"case \"$*\" in *version*) exit 0;; esac\nsetsid sleep 300 &\necho $! >> {pids}\n(setsid sh -c 'sleep 300 & echo $! >> {pids}; wait' &)\nexec sleep 300");
        await using var agent = await DiodeAgentProcess.StartAsync($", \"path\": {JsonSerializer.Serialize(client)}, \"revalidateTimeout\": \"5m\"", dir: dir);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(pids) || File.ReadAllLines(pids).Length < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the client did not start its grandchildren:\n" + string.Join('\n', agent.Lines.TakeLast(30)));
            await Task.Delay(50);
        }

        int[] escaped = [.. File.ReadAllLines(pids).Select(l => int.Parse(l, CultureInfo.InvariantCulture))];
        Assert.All(escaped, pid => Assert.True(IsAlive(pid), $"{pid} should run until the stop"));
        Assert.All(escaped, pid => Assert.NotEqual(ProcessGroupOf(agent.Pid), ProcessGroupOf(pid)));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, await agent.StopAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"the stop took {clock.Elapsed} (stopGrace is 3 s)");
        await Task.Delay(200);
        Assert.All(escaped, pid => Assert.False(File.Exists($"/proc/{pid}/stat"), $"{pid} outlived the agent's stop"));
    }

    [Fact]
    public async Task A_client_that_exits_at_once_in_a_loop_is_restarted_with_a_growing_backoff_and_counted_as_crashed()
    {
        var dir = new TempDirectory();
        string client = Script(dir, "case \"$*\" in *version*) exit 0;; esac\necho 'ERROR Couldn'\"'\"'t execute command: call to dead genserver' >&2\nexit 2");
        await using var agent = await DiodeAgentProcess.StartAsync($", \"path\": {JsonSerializer.Serialize(client)}, \"restartDelay\": \"100ms\", \"restartCeiling\": \"1s\"", dir: dir);

        await Task.Delay(TimeSpan.FromSeconds(8));

        var diode = await agent.DiodeHealthAsync();
        long restarts = DiodeAgentProcess.Number(diode, "restarts");
        Assert.InRange(restarts, 5, 40);
        Assert.Contains("crashed", DiodeAgentProcess.Text(diode, "restartsBy"), StringComparison.Ordinal);
        Assert.Contains("call to dead genserver", DiodeAgentProcess.Text(diode, "lastRestartReason"), StringComparison.Ordinal);
    }

    private static string ProcessGroupOf(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[2];
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
