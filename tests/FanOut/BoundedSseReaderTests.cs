using System.Text;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.FanOut;

/// <summary>The bounded SSE reader the relay and subscribe read upstreams with.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class BoundedSseReaderTests
{
    [Fact]
    public async Task Events_over_the_bound_by_one_long_line_or_many_short_ones_are_dropped_and_the_next_ones_arrive()
    {
        string many = string.Concat(Enumerable.Repeat("data: " + new string('b', 60) + "\n", 40));
        string text = "event: frame\nid: 1:1\ndata: one\n\n"
            + "event: frame\ndata: " + new string('a', 5000) + "\n\n"
            + "event: frame\n" + many + "\n"
            + ": keep-alive\n\nevent: frame\nid: 1:2\ndata: two\r\ndata: lines\n\n";
        using var reader = new BoundedSseReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), maxLineLength: 1024);

        var events = new List<UpstreamEvent>();
        await foreach (var item in reader.ReadAllAsync())
        {
            events.Add(item);
        }

        Assert.Equal([new UpstreamEvent("frame", "1:1", "one"), new UpstreamEvent("frame", "1:2", "two\nlines")], events);
        Assert.Equal(1, reader.OversizedLines);
        Assert.Equal(5000 + "data: ".Length - 1024, reader.DroppedBytes);
    }
}
