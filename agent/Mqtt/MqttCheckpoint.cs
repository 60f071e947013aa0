using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Mqtt;

/// <summary>
/// The MQTT output's checkpoint: per stream, the last frame the broker acknowledged (PUBACK). It starts from
/// <see cref="MqttCursorFile"/> (a stream never published before, or whose cursor is not older than this run, starts
/// with this run) and is written back atomically at most once a second, and on stop.
/// </summary>
internal sealed partial class MqttCheckpoint
{
    /// <summary>How often, at most, an advanced checkpoint is written to its file.</summary>
    public static readonly TimeSpan SaveEvery = TimeSpan.FromSeconds(1);

    private readonly MqttCursorFile _file;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, EventPosition> _cursors;
    private readonly Lock _gate = new();
    private DateTimeOffset _savedAt;
    private bool _dirty;

    public MqttCheckpoint(MqttCursorFile file, long epoch, IEnumerable<string> streamIds, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(streamIds);
        _file = file;
        _time = time;
        _logger = logger;
        _cursors = _file.Load(out string? problem);
        if (problem is not null)
        {
            LogCursorUnreadable(_logger, _file.Path!, problem);
        }

        foreach (string streamId in streamIds)
        {
            // A stream never published before starts with this run: enabling MQTT does not flood the broker with history.
            // A cursor not older than this run (only possible with a clock set back and no store to keep epochs rising)
            // would hold back every frame: it starts with this run too.
            if (!_cursors.TryGetValue(streamId, out var cursor) || cursor.Epoch >= epoch)
            {
                _cursors[streamId] = new EventPosition(epoch, 0);
            }
        }
    }

    /// <summary>The last frame of <paramref name="streamId"/> the broker acknowledged (this run's start for a new stream).</summary>
    public EventPosition this[string streamId]
    {
        get
        {
            lock (_gate)
            {
                return _cursors[streamId];
            }
        }
    }

    /// <summary>The broker acknowledged <paramref name="position"/>: the checkpoint moves there (saved by the next <see cref="Save"/>).</summary>
    public void Advance(string streamId, EventPosition position)
    {
        lock (_gate)
        {
            _cursors[streamId] = position;
            _dirty = true;
        }
    }

    /// <summary>Frames the streams have taken after their checkpoints (all streams), for /health and /metrics.</summary>
    public long Behind(IEnumerable<HubStream> streams)
    {
        ArgumentNullException.ThrowIfNull(streams);
        long behind = 0;
        lock (_gate)
        {
            foreach (var stream in streams)
            {
                if (stream.Latest is { } latest && _cursors.TryGetValue(stream.Id, out var cursor) && latest.Position > cursor)
                {
                    behind += latest.Position.Epoch == cursor.Epoch ? latest.Position.Seq - cursor.Seq : latest.Position.Seq;
                }
            }
        }

        return behind;
    }

    /// <summary>Writes the checkpoint when it moved: at most once per <see cref="SaveEvery"/>, or now when <paramref name="force"/>.</summary>
    public void Save(bool force)
    {
        Dictionary<string, EventPosition> snapshot;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!_dirty || (!force && now - _savedAt < SaveEvery))
            {
                return;
            }

            _dirty = false;
            _savedAt = now;
            snapshot = new Dictionary<string, EventPosition>(_cursors, StringComparer.Ordinal);
        }

        try
        {
            _file.Save(snapshot);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCursorSaveFailed(_logger, _file.Path!, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "mqtt: cannot save the cursor to {Path}: {Problem}")]
    private static partial void LogCursorSaveFailed(ILogger logger, string path, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mqtt: cannot read the cursor {Path} ({Problem}): publishing starts with this run's frames")]
    private static partial void LogCursorUnreadable(ILogger logger, string path, string problem);
}
