using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Streams;

namespace Diode.Edge.Agent.Http.Sse;

/// <summary>The socket fan-out of every stream, each started when its first direct consumer comes, all stopped with the host.</summary>
public sealed class SseFanOuts(HubOptions hub) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<HubStream, SseFanOut> _fanOuts = [];
    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;

    /// <summary>Direct consumers across streams.</summary>
    public int Consumers
    {
        get
        {
            lock (_gate)
            {
                return _fanOuts.Values.Sum(f => f.Count);
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

            if (!_fanOuts.TryGetValue(stream, out var fanOut))
            {
                fanOut = new SseFanOut(stream, Math.Max(hub.ConsumerQueue, 256), _stopping.Token);
                _fanOuts.Add(stream, fanOut);
            }

            return fanOut;
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
        foreach (var fanOut in _fanOuts.Values)
        {
            fanOut.Dispose();
        }

        _stopping.Dispose();
    }
}
