using System.Net;
using Diode.Edge.Agent.Diode.Api;
using Diode.Edge.Agent.Diode.Consumers;
using Diode.Edge.Agent.Logging;
using Diode.Edge.Agent.Metrics;
using Diode.Edge.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace Diode.Edge.Tests.DiodeClient;

/// <summary>The published port's bookkeeping: refusal log lines rate-limited, the address label bounded.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class ConsumerBookkeepingTests
{
    [Fact]
    public void Refusals_get_at_most_one_line_per_interval_which_counts_the_ones_held_back()
    {
        var time = new FakeTimeProvider();
        var log = new RefusalLog(time, TimeSpan.FromSeconds(10));

        Assert.True(log.ShouldLog(out long first));
        bool[] held = [.. Enumerable.Range(0, 5).Select(_ => log.ShouldLog(out long _))];
        time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(log.ShouldLog(out long _));
        time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.True(log.ShouldLog(out long suppressed));
        Assert.Equal(0, first);
        Assert.All(held, Assert.False);
        Assert.Equal(6, suppressed);
    }

    [Fact]
    public async Task The_address_label_holds_at_most_100_addresses_and_counts_the_rest_as_other()
    {
        var metrics = new AgentMetrics();
        using var api = new DiodeConfigApi(new DiodeApiEndpoint(new IPEndPoint(IPAddress.Loopback, 1)));
        var consumers = new ConsumerMetrics(metrics, api);

        for (int i = 0; i < 150; i++)
        {
            consumers.Accepted($"0x{i:x40}");
        }

        consumers.Accepted($"0x{0:x40}");
        consumers.Refused("unknown");
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        string text = System.Text.Encoding.UTF8.GetString(stream.ToArray());

        Assert.Equal(2, PrometheusText.Value(text, $"diode_edge_consumer_connections_total{{address=\"0x{0:x40}\"}}"));
        Assert.Equal(50, PrometheusText.Value(text, "diode_edge_consumer_connections_total{address=\"other\"}"));
        Assert.Equal(101, text.Split('\n').Count(l => l.StartsWith("diode_edge_consumer_connections_total{", StringComparison.Ordinal)));
        Assert.Equal(1, PrometheusText.Value(text, "diode_edge_consumer_refused_total{reason=\"unknown\"}"));
    }
}
