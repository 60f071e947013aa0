using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Store;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;
using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Diode.Edge.Tests.Store;

/// <summary>
/// What a durable output reads (<see cref="OutputFeed"/>): the frames after its checkpoint, in order, each once; the
/// frames the hub handed it while it keeps up, memory and the store once it fell behind.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed class OutputFeedTests : IDisposable
{
    private static readonly StreamDescriptor Env = new("env", "simulated", [Quantity.Temperature], TimeSpan.FromSeconds(1));
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public void Frames_it_was_handed_come_in_order_and_once_taken_are_not_read_again()
    {
        var stream = Stream(ringSize: 100);
        using var feed = new OutputFeed(stream, new FrameBacklog(null));
        var frames = Publish(stream, 5);

        Assert.Equal(frames, feed.Read(new EventPosition(stream.Epoch, 0), 100));
        Assert.Empty(feed.Read(frames[^1].Position, 100));
    }

    [Fact]
    public void Frames_it_was_handed_that_memory_let_go_are_not_sent_from_what_was_handed_without_a_store_they_are_a_gap()
    {
        var stream = Stream(ringSize: 2);
        using var feed = new OutputFeed(stream, new FrameBacklog(null));
        var frames = Publish(stream, 5);

        // As before the feed: what may still be sent is what memory and the store hold (the output counts the rest lost).
        Assert.Equal(frames[3..], feed.Read(new EventPosition(stream.Epoch, 0), 100));
    }

    [Fact]
    public void Only_frames_after_the_checkpoint_come_and_a_page_is_at_most_the_limit()
    {
        var stream = Stream(ringSize: 100);
        using var feed = new OutputFeed(stream, new FrameBacklog(null));
        var frames = Publish(stream, 10);

        Assert.Equal(frames[3..6], feed.Read(frames[2].Position, 3));
        Assert.Equal(frames[6..], feed.Read(frames[5].Position, 100));
        Assert.Empty(feed.Read(frames[^1].Position, 100));
    }

    [Fact]
    public void A_checkpoint_behind_what_was_handed_reads_back_from_memory_in_pages_until_it_meets_the_handed_frames()
    {
        var stream = Stream(ringSize: 1000);
        using var feed = new OutputFeed(stream, new FrameBacklog(null));
        var frames = Publish(stream, OutputFeed.HandedCapacity + 250);

        var read = ReadAll(feed, new EventPosition(stream.Epoch, 0), 100);

        Assert.Equal(frames.Select(f => f.Position), read.Select(f => f.Position));
        Assert.Equal(frames, read);
    }

    [Fact]
    public void Frames_published_while_it_reads_back_follow_in_order_each_once()
    {
        var stream = Stream(ringSize: 1000);
        using var feed = new OutputFeed(stream, new FrameBacklog(null));
        var frames = Publish(stream, OutputFeed.HandedCapacity * 2);
        var cursor = new EventPosition(stream.Epoch, 0);
        var read = new List<Frame>();
        for (int round = 0; round < 50; round++)
        {
            var page = feed.Read(cursor, 37);
            read.AddRange(page);
            if (page.Count > 0)
            {
                cursor = page[^1].Position;
            }

            frames.AddRange(Publish(stream, round % 3));
        }

        read.AddRange(ReadAll(feed, cursor, 37));
        Assert.Equal(frames.Select(f => f.Position), read.Select(f => f.Position));
    }

    [Fact]
    public void Frames_gone_from_memory_without_a_store_leave_a_gap_at_the_start_of_the_page_for_the_output_to_count()
    {
        var stream = Stream(ringSize: 10);
        using var feed = new OutputFeed(stream, new FrameBacklog(null));
        var frames = Publish(stream, OutputFeed.HandedCapacity + 72);

        var page = feed.Read(new EventPosition(stream.Epoch, 0), 100);

        // What memory still holds, as before: the output waits for the store, then counts the frames in between lost.
        Assert.Equal(frames[^10..].Select(f => f.Position), page.Select(f => f.Position));
    }

    [Fact]
    public void A_checkpoint_of_an_earlier_run_reads_that_run_from_the_store_then_this_one()
    {
        var options = new StoreOptions { Path = Path.Combine(_dir.Path, "store.db") };
        using var store = new FrameStore(options, TimeProvider.System, NullLogger<FrameStore>.Instance);
        store.Open();
        var earlier = Stream(ringSize: 10, run: 0);
        var earlierFrames = Publish(earlier, 20);
        store.Append(earlierFrames);
        var stream = Stream(ringSize: 10, run: 1);
        using var feed = new OutputFeed(stream, new FrameBacklog(store));
        var frames = Publish(stream, 3);

        var read = ReadAll(feed, earlierFrames[4].Position, 100);

        Assert.Equal(earlierFrames[5..].Concat(frames).Select(f => f.Position), read.Select(f => f.Position));
    }

    [Fact]
    public async Task A_reader_beside_a_publishing_sensor_and_the_pump_gets_every_frame_once_in_order()
    {
        var stream = Stream(ringSize: 10_000);
        using var feed = new OutputFeed(stream, new FrameBacklog(null));
        using var stop = new CancellationTokenSource();
        var pump = feed.PumpAsync(() => { }, stop.Token);
        var sensor = Task.Run(() => Publish(stream, 5_000));
        var cursor = new EventPosition(stream.Epoch, 0);
        var read = new List<Frame>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((!sensor.IsCompleted || stream.Latest!.Position > cursor) && DateTime.UtcNow < deadline)
        {
            var page = feed.Read(cursor, 100);
            read.AddRange(page);
            if (page.Count > 0)
            {
                cursor = page[^1].Position;
            }
        }

        Assert.Equal((await sensor).Select(f => f.Position), read.Select(f => f.Position));
        await stop.CancelAsync();
        await pump;
    }

    [Fact]
    public async Task Keep_alives_are_not_frames_and_the_pump_says_when_frames_were_handed()
    {
        var stream = Stream(ringSize: 10);
        using var feed = new OutputFeed(stream, new FrameBacklog(null));
        using var stop = new CancellationTokenSource();
        var handed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pump = feed.PumpAsync(() => handed.TrySetResult(), stop.Token);

        stream.OfferKeepAlive();
        var frames = Publish(stream, 2);
        await handed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(frames, feed.Read(new EventPosition(stream.Epoch, 0), 100));
        await stop.CancelAsync();
        await pump;
    }

    /// <summary>A stream of a run of its own; a later <paramref name="run"/> has a larger epoch.</summary>
    private static HubStream Stream(int ringSize, int run = 0) =>
        new StreamHub(new HubOptions { RingSize = ringSize }, TimeProvider.System, minimumEpoch: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1_000_000 * (run + 1)).Register(Env);

    private static List<Frame> Publish(HubStream stream, int count) =>
        [.. Enumerable.Range(0, count).Select(i => stream.Publish(new Reading(DateTimeOffset.UtcNow, [new Measurement(Quantity.Temperature, 20 + (i % 10))])))];

    private static List<Frame> ReadAll(OutputFeed feed, EventPosition after, int limit)
    {
        var read = new List<Frame>();
        for (var page = feed.Read(after, limit); page.Count > 0; page = feed.Read(after, limit))
        {
            read.AddRange(page);
            after = page[^1].Position;
        }

        return read;
    }
}
