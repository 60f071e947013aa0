using System.Text.Json;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.DiodeClient;

/// <summary>
/// The real agent process supervising the stand-in that behaves like diode v1.18.8 (its lines, its relay pool, its
/// config API, its signals): restarts only when the device is really unreachable, counted by cause.
/// </summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Integration)]
public sealed class DiodeSupervisionTests
{
    private static Dictionary<string, string> Mode(string mode, params (string Key, string Value)[] more)
    {
        var env = new Dictionary<string, string> { ["DIODE_STANDIN_MODE"] = mode };
        foreach (var (key, value) in more)
        {
            env[key] = value;
        }

        return env;
    }

    [Fact]
    public async Task A_healthy_client_is_published_with_the_real_command_line_and_its_state_is_reported()
    {
        await using var agent = await DiodeAgentProcess.StartAsync();

        var diode = await agent.WaitForDiodeAsync(d => DiodeAgentProcess.Text(d, "state") == "published" && DiodeAgentProcess.Text(d, "api")?.StartsWith("answering", StringComparison.Ordinal) == true);

        Assert.Equal("healthy", DiodeAgentProcess.Text(diode, "status"));
        Assert.Equal(5, DiodeAgentProcess.Number(diode, "relaysConnected"));
        Assert.StartsWith("v1.18.8", DiodeAgentProcess.Text(diode, "version"), StringComparison.Ordinal);
        Assert.Equal("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", DiodeAgentProcess.Text(diode, "fleet"), ignoreCase: true);
        string start = Assert.Single(agent.PublishStarts);
        Assert.Matches($@"^-dbpath=\S+ -update=false -api -apiaddr=127\.0\.0\.1:\d+ -fleet=0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed -debug publish -protected 127\.0\.0\.1:{agent.ConsumerPort}:80$", start);
        Assert.Contains(File.ReadAllLines(agent.ArgsFile), l => l.EndsWith("-update=false version", StringComparison.Ordinal));
        string metrics = await agent.Http.GetStringAsync("/metrics");
        Assert.Contains("diode_edge_diode_relays_connected 5", metrics, StringComparison.Ordinal);
        Assert.Contains("diode_edge_diode_connected 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relays_that_drop_one_at_a_time_and_heal_never_restart_the_client()
    {
        await using var agent = await DiodeAgentProcess.StartAsync(standIn: Mode("churn", ("DIODE_STANDIN_CHURN_MS", "250")));
        await agent.WaitForDiodeAsync(d => DiodeAgentProcess.Text(d, "state") == "published");

        // Three revalidate windows of churn: a dozen relay drops, each healed by the pool.
        await Task.Delay(TimeSpan.FromSeconds(9));

        var diode = await agent.DiodeHealthAsync();
        Assert.Equal(0, DiodeAgentProcess.Number(diode, "restarts"));
        Assert.Single(agent.PublishStarts);
        Assert.True(agent.Lines.Count(l => l.Contains("Client connection closed unexpectedly: EOF server=", StringComparison.Ordinal)) >= 10, "the stand-in should have dropped relays");
        Assert.Equal("healthy", DiodeAgentProcess.Text(diode, "status"));
    }

    [Fact]
    public async Task The_whole_pool_down_for_the_window_restarts_it_once_per_window()
    {
        await using var agent = await DiodeAgentProcess.StartAsync(standIn: Mode("drop-all", ("DIODE_STANDIN_AFTER_MS", "500")));

        var diode = await agent.WaitForDiodeAsync(d => DiodeAgentProcess.Number(d, "restarts") >= 1, TimeSpan.FromSeconds(20));

        // The next client is given a whole window again before it can be judged: no second restart within 2 s.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, DiodeAgentProcess.Number(await agent.DiodeHealthAsync(), "restarts"));

        Assert.Contains("no relay connected for 3s", DiodeAgentProcess.Text(diode, "lastRestartReason"), StringComparison.Ordinal);
        Assert.Contains("unreachable 1", DiodeAgentProcess.Text(diode, "restartsBy"), StringComparison.Ordinal);
        Assert.Contains(agent.Lines, l => l.Contains("diode: client pid", StringComparison.Ordinal) && l.Contains("no relay connected", StringComparison.Ordinal));
        Assert.Contains(agent.Lines, l => l.Contains("4/4 Stopping client manager", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_client_that_goes_silent_after_publishing_is_restarted_within_the_window()
    {
        await using var agent = await DiodeAgentProcess.StartAsync(standIn: Mode("silent", ("DIODE_STANDIN_AFTER_MS", "300")));
        await agent.WaitForDiodeAsync(d => DiodeAgentProcess.Text(d, "state") == "published");
        var published = DateTime.UtcNow;

        var diode = await agent.WaitForDiodeAsync(d => DiodeAgentProcess.Number(d, "restarts") >= 1, TimeSpan.FromSeconds(20));

        Assert.Contains("its config API has not answered for 3s", DiodeAgentProcess.Text(diode, "lastRestartReason"), StringComparison.Ordinal);
        Assert.Contains("unresponsive 1", DiodeAgentProcess.Text(diode, "restartsBy"), StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - published < TimeSpan.FromSeconds(3 + 1 + 3 + 5), "restarted within the window, the API interval and the stop grace");

        // The hung client ignores SIGINT: it was killed after the grace.
        Assert.Contains(agent.Lines, l => l.Contains("did not stop within 3 s of SIGINT; killed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stale_blockquick_window_gets_bqdowngrade_after_K_starts_and_then_validates()
    {
        await using var agent = await DiodeAgentProcess.StartAsync(", \"blockQuickDowngradeAfter\": 2", Mode("healthy", ("DIODE_STANDIN_STALE_BQ", "1")));

        var diode = await agent.WaitForDiodeAsync(d => DiodeAgentProcess.Text(d, "state") == "published", TimeSpan.FromSeconds(45));

        var starts = agent.PublishStarts;
        Assert.Equal(3, starts.Count);
        Assert.DoesNotContain("-bqdowngrade", starts[0], StringComparison.Ordinal);
        Assert.DoesNotContain("-bqdowngrade", starts[1], StringComparison.Ordinal);
        Assert.Contains("-bqdowngrade", starts[2], StringComparison.Ordinal);
        Assert.Equal(1, DiodeAgentProcess.Number(diode, "blockQuickDowngrades"));
        Assert.Contains("notValidated 2", DiodeAgentProcess.Text(diode, "restartsBy"), StringComparison.Ordinal);
        Assert.Single(agent.Lines, l => l.Contains("starting with -bqdowngrade", StringComparison.Ordinal));
        Assert.Contains("diode_edge_diode_blockquick_downgrades_total 1", await agent.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_offline_pi_backs_off_and_its_restarts_count_as_offline_not_crashed()
    {
        await using var agent = await DiodeAgentProcess.StartAsync(", \"revalidateTimeout\": \"1s\"", Mode("offline"));

        var diode = await agent.WaitForDiodeAsync(d => DiodeAgentProcess.Number(d, "restarts") >= 2, TimeSpan.FromSeconds(30));

        Assert.Contains("offline 2", DiodeAgentProcess.Text(diode, "restartsBy"), StringComparison.Ordinal);
        Assert.DoesNotContain("crashed", DiodeAgentProcess.Text(diode, "restartsBy"), StringComparison.Ordinal);
        Assert.Contains("offline: no Diode relay reachable", DiodeAgentProcess.Text(diode, "lastRestartReason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_the_agent_stops_the_client_with_SIGINT_it_prints_4_of_4_and_no_process_is_left()
    {
        var agent = await DiodeAgentProcess.StartAsync();
        await using (agent)
        {
            var diode = await agent.WaitForDiodeAsync(d => DiodeAgentProcess.Text(d, "state") == "published");
            int pid = (int)DiodeAgentProcess.Number(diode, "pid");

            Assert.Equal(0, await agent.StopAsync());

            Assert.Contains(agent.Lines, l => l.Contains($"diode[{pid}]: INFO 1/4 Stopping socksserver", StringComparison.Ordinal));
            Assert.Contains(agent.Lines, l => l.Contains($"diode[{pid}]: INFO 4/4 Stopping client manager", StringComparison.Ordinal));
            Assert.False(Directory.Exists($"/proc/{pid}"), "the client must be gone");
            Assert.Empty(agent.StandInProcesses());
        }
    }

    [Fact]
    public async Task A_shared_device_key_becomes_the_clients_address_and_identity_names_it()
    {
        await using var agent = await DiodeAgentProcess.StartAsync(identity: ", \"shareWithDiode\": true");

        var diode = await agent.WaitForDiodeAsync(d => DiodeAgentProcess.Text(d, "state") == "published");

        using var identity = JsonDocument.Parse(await agent.Http.GetStringAsync("/identity"));
        string device = identity.RootElement.GetProperty("address").GetString()!;
        Assert.Equal(device, DiodeAgentProcess.Text(diode, "clientAddress"), ignoreCase: true);
        Assert.Equal(device, identity.RootElement.GetProperty("clientAddress").GetString(), ignoreCase: true);
        Assert.Equal("healthy", DiodeAgentProcess.Text(diode, "status"));
        Assert.DoesNotContain(File.ReadAllLines(agent.ArgsFile), l => l.Contains("private=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_shared_key_identity_names_the_clients_own_address()
    {
        await using var agent = await DiodeAgentProcess.StartAsync();

        var diode = await agent.WaitForDiodeAsync(d => DiodeAgentProcess.Text(d, "state") == "published");

        using var identity = JsonDocument.Parse(await agent.Http.GetStringAsync("/identity"));
        string client = identity.RootElement.GetProperty("clientAddress").GetString()!;
        Assert.Equal(DiodeAgentProcess.Text(diode, "clientAddress"), client, ignoreCase: true);
        Assert.NotEqual(identity.RootElement.GetProperty("address").GetString(), client, StringComparer.OrdinalIgnoreCase);
        Assert.Contains(client, identity.RootElement.GetProperty("statement").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
