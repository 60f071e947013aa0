using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Watchdog;

/// <summary>
/// The real agent with a real unix datagram NOTIFY_SOCKET and WATCHDOG_USEC, outside systemd (sd_notify's contract):
/// READY=1, WATCHDOG=1 at half the interval while healthy, a STATUS= line, and WATCHDOG=1 stops when the gate closes.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class SdNotifyTests
{
    [Fact]
    public async Task A_healthy_agent_sends_ready_status_and_watchdog_at_half_the_interval()
    {
        var messages = await RunAsync("""{ "type": "simulated", "name": "env", "interval": "100ms", "critical": true }""", TimeSpan.FromSeconds(4));

        Assert.Equal("READY=1", messages.First(m => !m.Text.StartsWith("WATCHDOG", StringComparison.Ordinal) && !m.Text.StartsWith("STATUS", StringComparison.Ordinal)).Text);
        Assert.Contains(messages, m => m.Text.StartsWith("STATUS=1 streams, 0 consumers, diode: off, store: ok, watchdog: simulated watchdog 15s", StringComparison.Ordinal));
        var pings = messages.Where(m => m.Text == "WATCHDOG=1").Select(m => m.At).ToList();
        Assert.InRange(pings.Count, 5, 10);
        var gaps = pings.Zip(pings.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToList();
        string log = string.Join("; ", messages.Select(m => $"{(m.At - messages[0].At).TotalSeconds:F2} {m.Text}"));
        // Every ping is due 500 ms after the previous one was due (not after it was sent), so a late one is followed by
        // an early one and the rate holds; start-up contention on two shared cores can delay a single ping.
        Assert.True(gaps.All(g => g is > 150 and < 900), "gaps between WATCHDOG=1: " + log);
        Assert.InRange(gaps.Average(), 420, 620);
    }

    [Fact]
    public async Task Watchdog_pings_stop_when_a_critical_sensor_fails()
    {
        var messages = await RunAsync("""{ "type": "simulated", "name": "vital", "interval": "100ms", "critical": true, "failEvery": 1 }""", TimeSpan.FromSeconds(6));

        var ready = messages.First(m => m.Text == "READY=1").At;
        string log = string.Join("; ", messages.Select(m => $"{(m.At - ready).TotalSeconds:F2} {m.Text}"));
        var pings = messages.Where(m => m.Text == "WATCHDOG=1").Select(m => m.At).ToList();
        Assert.NotEmpty(pings);
        Assert.True((pings[^1] - ready).TotalSeconds < 3.5, $"the last WATCHDOG=1 came {(pings[^1] - ready).TotalSeconds:F1} s after READY; the critical sensor never read, so its heartbeat went stale after 2.3 s: " + log);
        Assert.True((DateTime.UtcNow - pings[^1]).TotalSeconds > 2, "WATCHDOG=1 went on: " + log);
    }

    private static async Task<List<(DateTime At, string Text)>> RunAsync(string sensor, TimeSpan duration)
    {
        using var dir = new TempDirectory();
        dir.File("config.json", $$"""
            { "http": { "port": 0 }, "identity": { "keyPath": "device.key" }, "store": { "path": "store.db" },
              "watchdog": { "enabled": true, "device": "simulated", "grace": "500ms", "petInterval": "1s" },
              "sensors": [ {{sensor}} ] }
            """);
        string socketPath = Path.Combine(dir.Path, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var env = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "1000000" };
        using var agent = Process.Start(AgentProcess.StartInfo(dir.Path, env, "run", "--config", "config.json"))!;
        _ = agent.StandardOutput.ReadToEndAsync();
        _ = agent.StandardError.ReadToEndAsync();
        var messages = new List<(DateTime, string)>();
        var buffer = new byte[4096];
        var end = DateTime.UtcNow + duration;
        try
        {
            while (DateTime.UtcNow < end)
            {
                using var timeout = new CancellationTokenSource(end - DateTime.UtcNow);
                try
                {
                    int n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                    foreach (string line in Encoding.UTF8.GetString(buffer, 0, n).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    {
                        messages.Add((DateTime.UtcNow, line));
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
        finally
        {
            agent.Kill();
            await agent.WaitForExitAsync();
        }

        Assert.NotEmpty(messages);
        return messages;
    }
}
