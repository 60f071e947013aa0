using System.Net.Sockets;
using System.Text;

namespace Diode.Edge.Bench.FanOut;

/// <summary>A lean SSE consumer on a raw socket: counts frames and records their age, so the client side costs little.</summary>
public sealed class SseConsumer(Uri events, LatencyHistogram latency) : IAsyncDisposable
{
    private static ReadOnlySpan<byte> FrameMarker => "event: frame"u8;

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private long _frames;

    public long Frames => Interlocked.Read(ref _frames);

    public bool Measuring { get; set; }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(events.Host, events.Port, cancellationToken).ConfigureAwait(false);
        await _socket.SendAsync(Encoding.ASCII.GetBytes($"GET {events.PathAndQuery} HTTP/1.1\r\nHost: {events.Authority}\r\nAccept: text/event-stream\r\n\r\n"), cancellationToken).ConfigureAwait(false);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int n = await _socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }

                var now = DateTimeOffset.UtcNow;
                var chunk = buffer.AsSpan(0, n);
                int frames = FrameTimestamp.Count(chunk, FrameMarker);
                if (frames > 0 && Measuring)
                {
                    Interlocked.Add(ref _frames, frames);
                    if (FrameTimestamp.TryAge(chunk, now, out double ms))
                    {
                        latency.Record(ms);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
