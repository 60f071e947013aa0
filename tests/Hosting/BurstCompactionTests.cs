using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Diode.Edge.Tests.Hosting;

/// <summary>One full compaction per settled burst of consumers, none otherwise (<see cref="BurstCompaction"/>).</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class BurstCompactionTests
{
    [Fact]
    public void A_burst_is_compacted_once_it_has_settled_and_only_once()
    {
        var policy = new BurstCompactionPolicy();
        Assert.False(policy.ShouldCompact(0));
        Assert.False(policy.ShouldCompact(600), "600 joined: not a burst yet");
        Assert.False(policy.ShouldCompact(1_500), "900 joined in the last interval: still coming");
        Assert.True(policy.ShouldCompact(1_550), "1,550 since start, 50 in the last interval: settled");
        Assert.False(policy.ShouldCompact(1_560), "compacted already");
        Assert.False(policy.ShouldCompact(2_000));
        Assert.False(policy.ShouldCompact(2_540), "540 since the last compaction");
        Assert.True(policy.ShouldCompact(2_600), "1,050 since the last compaction, 60 in the last interval");
    }

    [Fact]
    public void A_steady_trickle_of_consumers_is_never_a_burst()
    {
        var policy = new BurstCompactionPolicy();
        long opened = 0;
        for (int tick = 0; tick < 100; tick++)
        {
            opened += BurstCompactionPolicy.Settled;
            Assert.False(policy.ShouldCompact(opened), $"{BurstCompactionPolicy.Settled} consumers every interval is not a burst (tick {tick})");
        }
    }

    [Fact]
    public async Task The_service_compacts_after_consumers_of_a_real_hub_came_in_a_burst()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        var hub = new StreamHub(new HubOptions { MaxConsumers = 5_000, MaxConsumersPerStream = 5_000 }, time);
        var stream = hub.Register(new StreamDescriptor("env", "simulated", [Quantity.Temperature], TimeSpan.FromSeconds(1)));
        using var service = new BurstCompaction(hub, time, NullLogger<BurstCompaction>.Instance);
        await service.StartAsync(CancellationToken.None);
        var subscriptions = Enumerable.Range(0, 1_200).Select(_ => hub.TrySubscribe(stream, out string? _)!).ToList();

        // The service's timer starts on the thread pool (ExecuteAsync), so intervals pass until it has seen the burst settle.
        for (int i = 0; i < 100 && service.Compactions == 0; i++)
        {
            time.Advance(BurstCompaction.Interval);
            await Task.Delay(20);
        }

        Assert.Equal(1, service.Compactions);
        for (int i = 0; i < 5; i++)
        {
            time.Advance(BurstCompaction.Interval);
            await Task.Delay(20);
        }

        Assert.Equal(1, service.Compactions);

        await service.StopAsync(CancellationToken.None);
        subscriptions.ForEach(s => s.Dispose());
        Assert.Equal(1_200, hub.SubscriptionsOpened);
    }
}
