using System.Text;
using Diode.Edge.Agent.Cli;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.FanOut;

/// <summary>
/// A 100 MB <c>data:</c> line from an upstream (before the bound it cost the relay 312 MB and subscribe 277 MB) is skipped
/// without being buffered, counted, and the frames after it still arrive. Alone in the timing-sensitive collection, so
/// the allocation figures are these tests' own.
/// </summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Hostile)]
public sealed class UpstreamMemoryTests
{
    private const int HugeLine = 100 << 20;
    private const long Bound = 50L << 20;
    private static readonly DeviceKey Device = new(DeviceKey.GeneratePrivateKeyHex());

    [Fact]
    public async Task A_100_MB_line_costs_the_relay_well_under_50_MB_is_counted_and_the_frames_after_it_arrive()
    {
        await using var upstream = await StartHugeLineUpstreamAsync();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        await using var relay = await RelayFixture.StartAsync(upstream.Address, Device.Address);
        using var http = new HttpClient { BaseAddress = relay.BoundAddress() };

        string metrics = await RelayFixture.MetricsWhenAsync(http, m => PrometheusText.Value(m, "diode_edge_relay_frames_forwarded_total") >= 3);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        PeakRss.Figure("relay: a 100 MB data line from the upstream", $"{allocated >> 20} MB allocated in all");
        Assert.True(allocated < Bound, $"allocated {allocated >> 20} MB");
        Assert.Equal(1, PrometheusText.Value(metrics, "diode_edge_relay_upstream_lines_oversized_total"));
        Assert.Equal(0, PrometheusText.Value(metrics, "diode_edge_relay_frames_rejected_total"));
    }

    [Fact]
    public async Task A_100_MB_line_costs_subscribe_well_under_50_MB_and_the_frames_after_it_are_printed()
    {
        await using var upstream = await StartHugeLineUpstreamAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();
        long before = GC.GetTotalAllocatedBytes(precise: true);

        int code = await SubscribeCommand.ExecuteAsync(new SubscribeCommand.Options(upstream.Events, 3, Device.Address, KeepGoing: false), output, error, new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        PeakRss.Figure("subscribe: a 100 MB data line from the upstream", $"{allocated >> 20} MB allocated in all");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.True(allocated < Bound, $"allocated {allocated >> 20} MB");
        Assert.Equal(3, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("skipped a line longer than 65536 bytes", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>An event whose data line is 100 MB (written from one reused 64 KB buffer), then three genuine frames.</summary>
    private static Task<HostileUpstream> StartHugeLineUpstreamAsync()
    {
        byte[] frames = Encoding.UTF8.GetBytes(HostileUpstream.Sse(SignedFrames.Make(Device, 3)));
        return HostileUpstream.StartAsync(Device.Address, HostileUpstream.EnvStreams, async (body, ct) =>
        {
            await body.WriteAsync("event: frame\ndata: "u8.ToArray(), ct);
            byte[] chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'A');
            for (int written = 0; written < HugeLine; written += chunk.Length)
            {
                await body.WriteAsync(chunk, ct);
            }

            await body.WriteAsync("\n\n"u8.ToArray(), ct);
            await body.WriteAsync(frames, ct);
        });
    }
}
