using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Cli;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.FanOut;

/// <summary>
/// An upstream that lies: frames of another stream, replays, floods of forgeries, a /streams that is not a
/// stream list. The relay and <c>subscribe</c> refuse, count, log a little and, when it is fatal, exit non-zero.
/// </summary>
[Trait("Tier", Tiers.Hostile)]
public sealed class HostileUpstreamTests
{
    private static readonly DeviceKey Device = new(DeviceKey.GeneratePrivateKeyHex());
    private static readonly DeviceKey Forger = new(DeviceKey.GeneratePrivateKeyHex());

    [Fact]
    public void The_verifier_refuses_a_genuine_frame_of_another_stream_than_the_one_asked_for()
    {
        var greenhouse = SignedFrames.Make(Device, 1, "greenhouse")[0];

        var verdict = new FrameVerifier(Device.Address, "env").Verify(greenhouse.Json.Span);

        Assert.False(verdict.Accepted);
        Assert.Equal("stream \"greenhouse\" is not the stream asked for (\"env\")", verdict.Reason);
        Assert.True(new FrameVerifier(Device.Address, "env").Verify(SignedFrames.Make(Device, 1)[0].Json.Span).Accepted);
        Assert.True(new FrameVerifier(Device.Address).Verify(greenhouse.Json.Span).Accepted); // no stream given: any stream of the device, as before
    }

    [Fact]
    public async Task A_relay_served_greenhouse_frames_as_env_refuses_them_and_forwards_only_env()
    {
        string events = HostileUpstream.Sse([.. SignedFrames.Make(Device, 3, "greenhouse"), .. SignedFrames.Make(Device, 2)]);
        await using var upstream = await HostileUpstream.StartAsync(Device.Address, events);
        await using var relay = await RelayFixture.StartAsync(upstream.Address, Device.Address);
        using var http = new HttpClient { BaseAddress = relay.BoundAddress() };

        string metrics = await RelayFixture.MetricsWhenAsync(http, m => PrometheusText.Value(m, "diode_edge_relay_frames_forwarded_total") >= 2);

        Assert.Equal(3, PrometheusText.Value(metrics, "diode_edge_relay_frames_rejected_total"));
        var history = await RelayFixture.HistoryAsync(http);
        Assert.Equal(2, history.GetArrayLength());
        var env = new FrameVerifier(Device.Address, "env");
        Assert.All(history.EnumerateArray(), f => Assert.True(env.Verify(Encoding.UTF8.GetBytes(f.GetRawText())).Accepted));
        using var health = JsonDocument.Parse(await http.GetStringAsync("/health"));
        Assert.Equal("stream \"greenhouse\" is not the stream asked for (\"env\")", health.RootElement.GetProperty("components").GetProperty("relay").GetProperty("lastRejection").GetString());
    }

    [Fact]
    public async Task Subscribe_served_a_greenhouse_frame_as_env_rejects_it_and_exits_65()
    {
        await using var upstream = await HostileUpstream.StartAsync(Device.Address, HostileUpstream.Sse(SignedFrames.Make(Device, 1, "greenhouse")));
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = await SubscribeCommand.ExecuteAsync(new SubscribeCommand.Options(upstream.Events, 1, Device.Address, KeepGoing: false), output, error, new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

        Assert.Equal(ExitCodes.DataError, code);
        Assert.Empty(output.ToString());
        Assert.Contains("stream \"greenhouse\" is not the stream asked for (\"env\")", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relay_counts_the_replayed_frames_it_dropped_in_metrics_and_health()
    {
        var genuine = SignedFrames.Make(Device, 3);
        await using var upstream = await HostileUpstream.StartAsync(Device.Address, HostileUpstream.Sse([genuine[0], genuine[1], genuine[1], genuine[0], genuine[2]]));
        await using var relay = await RelayFixture.StartAsync(upstream.Address, Device.Address);
        using var http = new HttpClient { BaseAddress = relay.BoundAddress() };

        string metrics = await RelayFixture.MetricsWhenAsync(http, m => PrometheusText.Value(m, "diode_edge_relay_frames_forwarded_total") >= 3);

        Assert.Equal(2, PrometheusText.Value(metrics, "diode_edge_relay_frames_duplicate_total"));
        Assert.Equal(0, PrometheusText.Value(metrics, "diode_edge_relay_frames_rejected_total"));
        using var health = JsonDocument.Parse(await http.GetStringAsync("/health"));
        Assert.Equal(2, health.RootElement.GetProperty("components").GetProperty("relay").GetProperty("duplicates").GetInt64());
    }

    [Fact]
    public async Task Subscribe_fed_1000_forged_frames_writes_a_handful_of_lines_with_the_count_of_the_rest()
    {
        string events = HostileUpstream.Sse([.. SignedFrames.Make(Forger, 1000), SignedFrames.Make(Device, 1)[0]]);
        await using var upstream = await HostileUpstream.StartAsync(Device.Address, events);
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = await SubscribeCommand.ExecuteAsync(new SubscribeCommand.Options(upstream.Events, 1, Device.Address, KeepGoing: true), output, error, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        Assert.Equal(ExitCodes.Ok, code);
        string[] lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 1, 5);
        Assert.Single(lines, l => l.StartsWith("REJECTED frame", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("999 more forged", StringComparison.Ordinal));
        Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task The_relay_process_fed_1000_forged_frames_logs_a_handful_of_lines_with_the_count_of_the_rest()
    {
        await using var upstream = await HostileUpstream.StartAsync(Device.Address, HostileUpstream.Sse(SignedFrames.Make(Forger, 1000)));
        using var dir = new TempDirectory();
        using var relay = Process.Start(AgentProcess.StartInfo(dir.Path, null, "relay", "--upstream", upstream.Address.ToString(), "--device", Device.Address, "--listen", "127.0.0.1:0"))!;
        var lines = new List<string>();
        var stderr = relay.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await relay.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (line.Contains("999 more dropped", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        finally
        {
            relay.Kill(entireProcessTree: true);
            await relay.WaitForExitAsync();
        }

        string log = string.Join('\n', lines) + "\n" + await stderr;
        Assert.Contains("999 more dropped without a line of their own (env forged)", log, StringComparison.Ordinal);
        Assert.InRange(lines.Count(l => l.Contains("relay:", StringComparison.Ordinal)), 1, 5);
        Assert.Single(lines, l => l.Contains($"signed by {Forger.Address}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""[{"id":"env","type":""")]
    [InlineData("""{"streams":[]}""")]
    [InlineData("""[{"id":null,"type":"simulated","quantities":[],"interval":"1s","epoch":1,"lastSeq":0,"consumers":0}]""")]
    public async Task The_relay_exits_76_with_one_line_when_the_upstream_serves_a_malformed_stream_list(string streams)
    {
        await using var upstream = await HostileUpstream.StartAsync(Device.Address, streams, (_, _) => Task.CompletedTask);
        using var dir = new TempDirectory();

        var (code, _, stderr) = await AgentProcess.RunAsync(dir.Path, null, "relay", "--upstream", upstream.Address.ToString(), "--device", Device.Address, "--listen", "127.0.0.1:0");

        Assert.True(code == ExitCodes.Protocol, $"exit {code}:\n{stderr}");
        string error = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("/streams is not a stream list", error, StringComparison.Ordinal);
    }
}
