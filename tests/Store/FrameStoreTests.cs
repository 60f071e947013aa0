using System.Text;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Store;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;
using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Diode.Edge.Tests.Store;

[Trait("Tier", Tiers.Unit)]
public sealed class FrameStoreTests : IDisposable
{
    private static readonly StreamDescriptor Env = new("env", "simulated", [Quantity.Temperature], TimeSpan.FromSeconds(1));
    private readonly TempDirectory _dir = new();
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public void Stored_frames_come_back_byte_for_byte_and_in_order()
    {
        using var store = Open(new StoreOptions());
        var frames = Publish(30, "a \"quoted\" ünïcode value");
        store.Append(frames.Take(20).ToList());
        store.Append(frames.Skip(15).ToList());

        var read = store.ReadAfter("env", new EventPosition(frames[0].Position.Epoch, 4), null, 100);

        Assert.Equal(frames.Skip(4).Select(f => f.Position), read.Select(f => f.Position));
        for (int i = 0; i < read.Count; i++)
        {
            Assert.Equal(frames[i + 4].Payload.ToArray(), read[i].Payload.ToArray());
            Assert.Equal(frames[i + 4].Json.ToArray(), read[i].Json.ToArray());
            Assert.Equal(frames[i + 4].Sse.ToArray(), read[i].Sse.ToArray());
        }

        var bounded = store.ReadAfter("env", new EventPosition(0, 0), frames[10].Position, 100);
        Assert.Equal(10, bounded.Count);
    }

    [Fact]
    public void The_epoch_of_a_run_is_remembered_so_the_next_one_is_larger_even_with_a_clock_that_went_back()
    {
        using (var store = Open(new StoreOptions()))
        {
            Assert.Equal(0, store.LastEpoch);
            store.RecordEpoch(5_000_000);
        }

        using var again = Open(new StoreOptions());
        Assert.Equal(5_000_000, again.LastEpoch);
        var hub = new StreamHub(new HubOptions(), new ManualTime(DateTimeOffset.FromUnixTimeMilliseconds(1_000)), minimumEpoch: again.LastEpoch + 1);
        Assert.Equal(5_000_001, hub.Epoch);
    }

    [Fact]
    public void Retention_deletes_by_age_then_by_size()
    {
        var options = new StoreOptions { Retention = TimeSpan.FromHours(1), MaxSize = 1L << 20 };
        using var store = Open(options);
        var old = Publish(50, "old", _time.GetUtcNow().AddHours(-2));
        var recent = Publish(50, "recent", _time.GetUtcNow());
        store.Append(old);
        store.Append(recent);

        store.ApplyRetention();
        Assert.Equal(50, store.Measure().Frames);

        store.Append(Publish(6000, new string('x', 300), _time.GetUtcNow()));
        store.ApplyRetention();
        var (size, frames, _) = store.Measure();
        Assert.True(frames < 6050, $"{frames} frames kept");
        Assert.True(frames > 1000, $"{frames} frames kept");
        Assert.True(size <= options.MaxSize * 2, $"{size} bytes on disk");
    }

    [Fact]
    public void A_corrupt_database_is_moved_aside_and_a_fresh_one_started()
    {
        string path = Path.Combine(_dir.Path, "store.db");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes(new string('#', 8192)));

        using var store = Open(new StoreOptions { Path = path });
        store.Append(Publish(3, "fresh"));

        Assert.Single(Directory.GetFiles(_dir.Path, "store.db.corrupt-*"));
        Assert.Equal(3, store.Measure().Frames);
    }

    private FrameStore Open(StoreOptions options)
    {
        if (options.Path == new StoreOptions().Path)
        {
            options.Path = Path.Combine(_dir.Path, "store.db");
        }

        var store = new FrameStore(options, _time, NullLogger<FrameStore>.Instance);
        store.Open();
        return store;
    }

    private static long s_epoch = 1_000_000;

    /// <summary>Frames of a run of their own: each call is a new epoch, as each agent start is.</summary>
    private static List<Frame> Publish(int count, string note, DateTimeOffset? at = null)
    {
        var hub = new StreamHub(new HubOptions { RingSize = 10 }, TimeProvider.System, minimumEpoch: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + Interlocked.Increment(ref s_epoch));
        var stream = hub.Register(Env);
        return [.. Enumerable.Range(0, count).Select(i => stream.Publish(new Reading(at ?? DateTimeOffset.UtcNow, [new Measurement(new Quantity(note, "Cel"), i)])))];
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
