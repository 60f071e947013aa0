using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Store;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Mqtt;

/// <summary>
/// Publishes each stream's frames after its checkpoint (<see cref="MqttCheckpoint"/>), in order, each acknowledged
/// (PUBACK) before the next and the checkpoint moved to it: the frames the hub hands it while it keeps up, pages read
/// back from memory and the store (<see cref="OutputFeed"/>) once it fell behind, so live frames and the frames of a
/// broker outage arrive in one order with bounded memory. Frames missing between the checkpoint and the oldest one still
/// held are waited for (they may be in the store's queue), then counted lost.
/// </summary>
internal sealed partial class MqttFramePublisher : IDisposable
{
    /// <summary>Frames published per read (each waits for its PUBACK, so order holds).</summary>
    public const int PageSize = 100;

    private readonly MqttOptions _options;
    private readonly MqttTopics _topics;
    private readonly MqttCheckpoint _checkpoint;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _gapPatience;
    private readonly List<OutputFeed> _feeds;
    private readonly Dictionary<string, DateTimeOffset> _gapSince = new(StringComparer.Ordinal);
    private long _published;
    private long _failures;
    private long _lost;

    /// <summary>Subscribes to every stream of <paramref name="hub"/> now (before any hosted service starts, like the store).</summary>
    /// <param name="gapPatience">How long frames missing after a checkpoint are waited for before they are counted lost.</param>
    public MqttFramePublisher(MqttOptions options, MqttTopics topics, StreamHub hub, FrameBacklog backlog, MqttCheckpoint checkpoint, TimeSpan gapPatience, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(hub);
        _options = options;
        _topics = topics;
        _checkpoint = checkpoint;
        _gapPatience = gapPatience;
        _time = time;
        _logger = logger;
        _feeds = [.. hub.Streams.Select(s => new OutputFeed(s, backlog))];
    }

    /// <summary>Frames the broker acknowledged.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Publishes the broker refused.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Frames neither memory nor the store still held when their turn came.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Takes the hub's frames as they come, calling <paramref name="handed"/> after each; one task per stream.</summary>
    public Task[] StartPumps(Action handed, CancellationToken cancellationToken) =>
        [.. _feeds.Select(f => Task.Run(() => f.PumpAsync(handed, cancellationToken), CancellationToken.None))];

    /// <summary>One pass over the streams: up to a page of each one's frames after its checkpoint; false when there was none.</summary>
    public async Task<bool> PublishAsync(MqttSession session, CancellationToken cancellationToken)
    {
        bool published = false;
        foreach (var feed in _feeds)
        {
            published |= await PublishPageAsync(session, feed, cancellationToken).ConfigureAwait(false);
        }

        return published;
    }

    public void Dispose()
    {
        foreach (var feed in _feeds)
        {
            feed.Dispose();
        }
    }

    /// <summary>Publishes up to a page of the frames after the stream's checkpoint, each acknowledged before the next; false when there was none.</summary>
    private async Task<bool> PublishPageAsync(MqttSession session, OutputFeed feed, CancellationToken cancellationToken)
    {
        string streamId = feed.Stream.Id;
        var cursor = _checkpoint[streamId];
        var page = feed.Read(cursor, PageSize);
        if (page.Count == 0)
        {
            return false;
        }

        var first = page[0].Position;
        if (first.Epoch == cursor.Epoch && first.Seq > cursor.Seq + 1 && !GapGivenUp(streamId, cursor, first))
        {
            return false;
        }

        _gapSince.Remove(streamId);
        foreach (var frame in page)
        {
            var result = await session.PublishAsync(_topics.Frame(streamId), frame.Json, cancellationToken).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                Interlocked.Increment(ref _failures);
                throw new MQTTnet.Exceptions.MqttCommunicationException($"the broker refused frame {frame.Position} on {_topics.Frame(streamId)}: {result.ReasonCode} (its ACL must let this client publish to {_options.TopicPrefix}/#)");
            }

            _checkpoint.Advance(streamId, frame.Position);
            Interlocked.Increment(ref _published);
        }

        if (page.Count < PageSize)
        {
            // Caught up: Home Assistant gets the current value (not every replayed one, which it would record as "now").
            await session.PublishAsync(_topics.State(streamId), HomeAssistantDiscovery.State(page[^1]), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Frames between the checkpoint and the oldest one still held are missing: wait for the store to write them (they
    /// may be in its queue) for a few flush intervals, then count them lost and go on.
    /// </summary>
    private bool GapGivenUp(string streamId, EventPosition cursor, EventPosition first)
    {
        var now = _time.GetUtcNow();
        if (!_gapSince.TryGetValue(streamId, out var since))
        {
            _gapSince[streamId] = since = now;
        }

        if (now - since < _gapPatience)
        {
            return false;
        }

        long missing = first.Seq - cursor.Seq - 1;
        Interlocked.Add(ref _lost, missing);
        LogGap(_logger, streamId, cursor.Seq + 1, first.Seq - 1, first.Epoch);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "mqtt: stream {Stream}: frames {From}..{To} of epoch {Epoch} are no longer in memory or the store and were not published")]
    private static partial void LogGap(ILogger logger, string stream, long from, long to, long epoch);
}
