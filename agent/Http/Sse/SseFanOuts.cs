using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Streams;

namespace Diode.Edge.Agent.Http.Sse;

/// <summary>
/// The socket fan-outs of every stream, started when a stream's first direct consumer comes, all stopped with the host.
/// A stream has one fan-out per core (<see cref="Shards"/>), each with its own loop and its share of the consumers
/// (a new consumer joins the one with fewest), so one frame reaches thousands of sockets from every core at once; a
/// consumer stays with its fan-out, so its frames keep their order.
/// </summary>
internal sealed class SseFanOuts(HubOptions hub) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<HubStream, SseFanOut[]> _fanOuts = [];
    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;

    /// <summary>Fan-outs per stream: one per core.</summary>
    public static int Shards { get; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Direct consumers across streams.</summary>
    public int Consumers
    {
        get
        {
            lock (_gate)
            {
                return _fanOuts.Values.Sum(shards => shards.Sum(f => f.Count));
            }
        }
    }

    internal SseFanOut? For(HubStream stream)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return null;
            }

            if (!_fanOuts.TryGetValue(stream, out var shards))
            {
                shards = [.. Enumerable.Range(0, Shards).Select(_ => new SseFanOut(stream, Math.Max(hub.ConsumerQueue, 256), _stopping.Token))];
                _fanOuts.Add(stream, shards);
            }

            var fewest = shards[0];
            foreach (var shard in shards)
            {
                if (shard.Count < fewest.Count)
                {
                    fewest = shard;
                }
            }

            return fewest;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _stopping.Cancel();
        foreach (var fanOut in _fanOuts.Values.SelectMany(shards => shards))
        {
            fanOut.Dispose();
        }

        _stopping.Dispose();
    }
}
