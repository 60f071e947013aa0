using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Streams;

/// <summary>
/// One published sample, encoded once and shared by every consumer: the payload bytes (what is signed), the frame
/// JSON (<c>{"payload":"…","sig":"0x…"}</c>) and its Server-Sent Events encoding, framed as one HTTP/1.1 chunk so that
/// the fan-out writes the same bytes to every consumer's socket.
/// </summary>
internal sealed class Frame
{
    /// <summary>A keep-alive tick for idle SSE connections; never stored, never counted.</summary>
    public static readonly Frame KeepAlive = new(string.Empty, default, DateTimeOffset.MinValue, [], [], HttpChunk.Wrap(": keep-alive\n\n"u8));

    /// <param name="sseChunk">The SSE event as an HTTP/1.1 chunk (<see cref="HttpChunk.Wrap"/>).</param>
    public Frame(string streamId, EventPosition position, DateTimeOffset timestamp, byte[] payload, byte[] json, byte[] sseChunk)
    {
        StreamId = streamId;
        Position = position;
        Timestamp = timestamp;
        Payload = payload;
        Json = json;
        SseChunk = sseChunk;
        Sse = HttpChunk.Data(sseChunk);
    }

    public string StreamId { get; }

    public EventPosition Position { get; }

    public DateTimeOffset Timestamp { get; }

    /// <summary>The payload's exact UTF-8 bytes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The frame as one line of JSON.</summary>
    public ReadOnlyMemory<byte> Json { get; }

    /// <summary><c>id: epoch-seq\nevent: frame\ndata: {json}\n\n</c>.</summary>
    public ReadOnlyMemory<byte> Sse { get; }

    /// <summary><see cref="Sse"/> as one HTTP/1.1 chunk, <c>{length in hex}\r\n{sse}\r\n</c>: written as is to consumers' sockets.</summary>
    public ReadOnlyMemory<byte> SseChunk { get; }

    public bool IsKeepAlive => ReferenceEquals(this, KeepAlive);

    /// <summary>When the frame was published (<see cref="System.Diagnostics.Stopwatch"/> ticks), for the serve-latency histogram; 0 for stored frames.</summary>
    public long PublishedTimestamp { get; init; }
}
