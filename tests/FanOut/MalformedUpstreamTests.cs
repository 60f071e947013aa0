using System.Text;
using Diode.Edge.Agent.Cli;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.FanOut;

/// <summary>
/// The rest of a hostile upstream: frames out of order, and event data that is not a frame at all (not JSON,
/// JSON of the wrong shape, binary junk). Each is refused and counted; the genuine frames around them still arrive.
/// </summary>
[Trait("Tier", Tiers.Hostile)]
public sealed class MalformedUpstreamTests
{
    private static readonly DeviceKey Device = new(DeviceKey.GeneratePrivateKeyHex());

    private static readonly string[] Junk =
    [
        "id: 1:9\nevent: frame\ndata: {not json\n\n",
        "id: 1:9\nevent: frame\ndata: {\"payload\":5,\"sig\":\"0x\"}\n\n",
        "id: 1:9\nevent: frame\ndata: [1,2,3]\n\n",
        "id: 1:9\nevent: frame\ndata: {\"payload\":\"{\\\"v\\\":1}\",\"sig\":\"0xzz\"}\n\n",
        "id: 1:9\nevent: frame\ndata: \u0001\u0002\u00ff\ufffd\n\n",
        "id: 1:9\nevent: frame\ndata: null\n\n",
    ];

    [Fact]
    public async Task A_relay_fed_frames_out_of_order_forwards_them_only_in_order_and_counts_each_late_one()
    {
        var genuine = SignedFrames.Make(Device, 6);
        await using var upstream = await HostileUpstream.StartAsync(Device.Address, HostileUpstream.Sse([genuine[0], genuine[2], genuine[1], genuine[3], genuine[5], genuine[4]]));
        await using var relay = await RelayFixture.StartAsync(upstream.Address, Device.Address);
        using var http = new HttpClient { BaseAddress = relay.BoundAddress() };

        string metrics = await RelayFixture.MetricsWhenAsync(http, m => PrometheusText.Value(m, "diode_edge_relay_frames_forwarded_total") + PrometheusText.Value(m, "diode_edge_relay_frames_duplicate_total") >= 6);

        Assert.Equal(4, PrometheusText.Value(metrics, "diode_edge_relay_frames_forwarded_total"));
        Assert.Equal(2, PrometheusText.Value(metrics, "diode_edge_relay_frames_duplicate_total"));
        string history = await http.GetStringAsync("/streams/env/history?limit=10");
        int[] seqs = [.. System.Text.Json.JsonDocument.Parse(history).RootElement.EnumerateArray()
            .Select(f => System.Text.Json.JsonDocument.Parse(f.GetProperty("payload").GetString()!).RootElement.GetProperty("seq").GetInt32())];
        Assert.Equal(seqs.Order(), seqs);
    }

    [Fact]
    public async Task A_relay_fed_event_data_that_is_no_frame_rejects_each_and_forwards_the_genuine_ones_around_it()
    {
        var genuine = SignedFrames.Make(Device, 2);
        string events = HostileUpstream.Sse([genuine[0]]) + string.Concat(Junk) + HostileUpstream.Sse([genuine[1]]);
        await using var upstream = await HostileUpstream.StartAsync(Device.Address, events);
        await using var relay = await RelayFixture.StartAsync(upstream.Address, Device.Address);
        using var http = new HttpClient { BaseAddress = relay.BoundAddress() };

        string metrics = await RelayFixture.MetricsWhenAsync(http, m => PrometheusText.Value(m, "diode_edge_relay_frames_forwarded_total") >= 2);

        Assert.Equal(Junk.Length, PrometheusText.Value(metrics, "diode_edge_relay_frames_rejected_total"));
    }

    [Fact]
    public async Task Subscribe_fed_event_data_that_is_no_frame_rejects_each_in_a_line_or_a_count_and_prints_only_genuine_frames()
    {
        var genuine = SignedFrames.Make(Device, 2);
        string events = HostileUpstream.Sse([genuine[0]]) + string.Concat(Junk) + HostileUpstream.Sse([genuine[1]]);
        await using var upstream = await HostileUpstream.StartAsync(Device.Address, events);
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = await SubscribeCommand.ExecuteAsync(new SubscribeCommand.Options(upstream.Events, 2, Device.Address, KeepGoing: true), output, error, new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(2, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("REJECTED", error.ToString(), StringComparison.Ordinal);
        Assert.All(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Contains(Encoding.UTF8.GetString(genuine[0].Json.Span)[..20], line, StringComparison.Ordinal));
    }
}
