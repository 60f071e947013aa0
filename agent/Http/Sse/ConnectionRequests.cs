namespace Diode.Edge.Agent.Http.Sse;

/// <summary>
/// A connection feature: how many requests this connection has carried. A response may take the socket over only on a
/// connection's first request, when Kestrel cannot still hold unsent bytes of an earlier response.
/// </summary>
internal sealed class ConnectionRequests
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Started() => Interlocked.Increment(ref _count);
}
