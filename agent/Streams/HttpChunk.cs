using System.Buffers;
using System.Buffers.Text;

namespace Diode.Edge.Agent.Streams;

/// <summary>
/// One chunk of an HTTP/1.1 chunked body (RFC 9112 §7.1): <c>{size in hex}\r\n{data}\r\n</c>. A frame's SSE event is
/// kept in this form, so the fan-out writes one array, unchanged, to every consumer's socket.
/// </summary>
internal static class HttpChunk
{
    /// <summary>The chunk that ends a chunked body: <c>0\r\n\r\n</c>.</summary>
    public static ReadOnlySpan<byte> Last => "0\r\n\r\n"u8;

    /// <summary>A chunk for <paramref name="length"/> bytes of data; <paramref name="data"/> is where they go.</summary>
    public static byte[] Allocate(int length, out Span<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Span<byte> size = stackalloc byte[8];
        Utf8Formatter.TryFormat(length, size, out int digits, new StandardFormat('x'));
        var chunk = new byte[digits + 2 + length + 2];
        size[..digits].CopyTo(chunk);
        chunk[digits] = (byte)'\r';
        chunk[digits + 1] = (byte)'\n';
        chunk[^2] = (byte)'\r';
        chunk[^1] = (byte)'\n';
        data = chunk.AsSpan(digits + 2, length);
        return chunk;
    }

    public static byte[] Wrap(ReadOnlySpan<byte> data)
    {
        var chunk = Allocate(data.Length, out var span);
        data.CopyTo(span);
        return chunk;
    }

    /// <summary>The data inside a chunk made by <see cref="Allocate"/>.</summary>
    public static ReadOnlyMemory<byte> Data(byte[] chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        int end = chunk.AsSpan().IndexOf("\r\n"u8);
        if (end <= 0 || !Utf8Parser.TryParse(chunk.AsSpan(0, end), out int length, out int consumed, 'x') || consumed != end
            || chunk.Length != end + 2 + length + 2 || !chunk.AsSpan(chunk.Length - 2).SequenceEqual("\r\n"u8))
        {
            throw new ArgumentException("not one HTTP/1.1 chunk: {size in hex}\\r\\n{data}\\r\\n", nameof(chunk));
        }

        return chunk.AsMemory(end + 2, length);
    }
}
