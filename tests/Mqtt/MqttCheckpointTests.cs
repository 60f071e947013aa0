using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Mqtt;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;
using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Diode.Edge.Tests.Mqtt;

/// <summary>The MQTT output's checkpoint: where each stream starts, how it moves, and its file written atomically at most once a second.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class MqttCheckpointTests : IDisposable
{
    private const long Epoch = 1_800_000_000_000;
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(Epoch));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_new_stream_starts_with_this_run_an_older_cursor_is_kept_and_one_not_older_than_this_run_starts_over()
    {
        var file = new MqttCursorFile(Path.Combine(_dir.Path, "mqtt-cursor.json"));
        file.Save(new Dictionary<string, EventPosition>
        {
            ["env"] = new(Epoch - 5, 42),
            ["soc"] = new(Epoch, 7),
            ["gone"] = new(Epoch - 9, 3),
        });

        var checkpoint = new MqttCheckpoint(file, Epoch, ["env", "soc", "new"], _time, NullLogger.Instance);

        Assert.Equal(new EventPosition(Epoch - 5, 42), checkpoint["env"]);
        Assert.Equal(new EventPosition(Epoch, 0), checkpoint["soc"]);
        Assert.Equal(new EventPosition(Epoch, 0), checkpoint["new"]);
    }

    [Fact]
    public void An_unreadable_file_or_none_starts_every_stream_with_this_run()
    {
        string path = Path.Combine(_dir.Path, "mqtt-cursor.json");
        File.WriteAllText(path, "{ not json");

        var unreadable = new MqttCheckpoint(new MqttCursorFile(path), Epoch, ["env"], _time, NullLogger.Instance);
        var none = new MqttCheckpoint(new MqttCursorFile(null), Epoch, ["env"], _time, NullLogger.Instance);

        Assert.Equal(new EventPosition(Epoch, 0), unreadable["env"]);
        Assert.Equal(new EventPosition(Epoch, 0), none["env"]);
        none.Advance("env", new EventPosition(Epoch, 1));
        none.Save(force: true);
    }

    [Fact]
    public void It_is_saved_at_most_once_a_second_unless_forced_and_a_restart_resumes_from_what_was_saved()
    {
        string path = Path.Combine(_dir.Path, "mqtt-cursor.json");
        var checkpoint = new MqttCheckpoint(new MqttCursorFile(path), Epoch, ["env"], _time, NullLogger.Instance);

        checkpoint.Save(force: false);
        Assert.False(File.Exists(path));
        checkpoint.Advance("env", new EventPosition(Epoch, 1));
        checkpoint.Save(force: false);
        Assert.Equal(new EventPosition(Epoch, 1), Reload(path)["env"]);

        checkpoint.Advance("env", new EventPosition(Epoch, 2));
        _time.Advance(MqttCheckpoint.SaveEvery - TimeSpan.FromMilliseconds(1));
        checkpoint.Save(force: false);
        Assert.Equal(new EventPosition(Epoch, 1), Reload(path)["env"]);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        checkpoint.Save(force: false);
        Assert.Equal(new EventPosition(Epoch, 2), Reload(path)["env"]);

        checkpoint.Advance("env", new EventPosition(Epoch, 3));
        checkpoint.Save(force: true);
        Assert.Equal(new EventPosition(Epoch, 3), Reload(path)["env"]);
        Assert.False(File.Exists(path + ".tmp"));

        var next = new MqttCheckpoint(new MqttCursorFile(path), Epoch + 1, ["env"], _time, NullLogger.Instance);
        Assert.Equal(new EventPosition(Epoch, 3), next["env"]);
    }

    [Fact]
    public void Behind_counts_the_frames_taken_after_each_checkpoint_across_epochs()
    {
        var hub = new StreamHub(new HubOptions(), _time);
        var env = hub.Register(new StreamDescriptor("env", "simulated", [Quantity.Temperature], TimeSpan.FromSeconds(1)));
        var soc = hub.Register(new StreamDescriptor("soc", "simulated", [Quantity.Temperature], TimeSpan.FromSeconds(1)));
        var checkpoint = new MqttCheckpoint(new MqttCursorFile(null), hub.Epoch, ["env", "soc"], _time, NullLogger.Instance);
        for (int i = 0; i < 7; i++)
        {
            env.Publish(new Reading(_time.GetUtcNow(), [new Measurement(Quantity.Temperature, i)]));
        }

        soc.Publish(new Reading(_time.GetUtcNow(), [new Measurement(Quantity.Temperature, 1)]));
        soc.Publish(new Reading(_time.GetUtcNow(), [new Measurement(Quantity.Temperature, 2)]));

        Assert.Equal(9, checkpoint.Behind(hub.Streams));
        checkpoint.Advance("env", new EventPosition(hub.Epoch, 5));
        Assert.Equal(4, checkpoint.Behind(hub.Streams));
        checkpoint.Advance("soc", new EventPosition(hub.Epoch - 1, 100));
        Assert.Equal(4, checkpoint.Behind(hub.Streams));
    }

    private static Dictionary<string, EventPosition> Reload(string path)
    {
        var cursors = new MqttCursorFile(path).Load(out string? problem);
        Assert.Null(problem);
        return cursors;
    }
}
