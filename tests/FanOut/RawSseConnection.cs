using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Diode.Edge.Tests.FanOut;

/// <summary>
/// An HTTP/1.1 client on a bare socket that checks the bytes on the wire: the response head, then the chunked body
/// chunk by chunk (RFC 9112 §7.1: size in hex, CRLF, data, CRLF), failing on any malformed or torn chunk. Each chunk of
/// an SSE response must carry whole events.
/// </summary>
public sealed class RawSseConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private readonly bool _ownsSocket = true;

    private RawSseConnection(Socket socket, bool ownsSocket = true)
    {
        _socket = socket;
        _ownsSocket = ownsSocket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    /// <summary>Reads a connection opened elsewhere (the socket stays the caller's).</summary>
    public static RawSseConnection On(Socket socket) => new(socket, ownsSocket: false);

    public static async Task<RawSseConnection> OpenAsync(Uri address, int receiveBuffer = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer > 0)
        {
            socket.ReceiveBufferSize = receiveBuffer;
        }

        await socket.ConnectAsync(address.Host, address.Port);
        return new RawSseConnection(socket);
    }

    public Task SendRequestAsync(Uri address, string path, string? extraHeaders = null) =>
        _socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {address.Authority}\r\nAccept: text/event-stream\r\n{extraHeaders}\r\n"));

    /// <summary>Sends <paramref name="bytes"/> as they are (what a consumer should not send after its request).</summary>
    public Task SendRawAsync(ReadOnlyMemory<byte> bytes) => _socket.SendAsync(bytes).AsTask();

    /// <summary>The status code and the headers (names lower-cased).</summary>
    public async Task<(int Status, Dictionary<string, string> Headers)> ReadHeadAsync(CancellationToken cancellationToken)
    {
        string status = await ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("no status line");
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await ReadLineAsync(cancellationToken) is { Length: > 0 } line)
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        var parts = status.Split(' ');
        Assert.Equal("HTTP/1.1", parts[0]);
        return (int.Parse(parts[1], CultureInfo.InvariantCulture), headers);
    }

    /// <summary>A body of <paramref name="length"/> bytes (a Content-Length response).</summary>
    public async Task<string> ReadBodyAsync(int length, CancellationToken cancellationToken) => Encoding.UTF8.GetString(await ReadExactlyAsync(length, cancellationToken));

    /// <summary>A whole chunked body.</summary>
    public async Task<string> ReadChunkedBodyAsync(CancellationToken cancellationToken)
    {
        var body = new StringBuilder();
        while (await ReadChunkAsync(cancellationToken) is { } chunk)
        {
            body.Append(chunk);
        }

        return body.ToString();
    }

    /// <summary>The next chunk's data; null for the last chunk (<c>0\r\n\r\n</c>).</summary>
    public async Task<string?> ReadChunkAsync(CancellationToken cancellationToken)
    {
        string size = await ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("the connection closed between chunks without the last chunk");
        Assert.True(size.Length is > 0 and <= 8 && size.All(Uri.IsHexDigit), $"chunk size line \"{size}\" is not hex");
        int length = int.Parse(size, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (length == 0)
        {
            Assert.Equal(string.Empty, await ReadLineAsync(cancellationToken));
            return null;
        }

        byte[] data = await ReadExactlyAsync(length, cancellationToken);
        Assert.Equal("\r\n", Encoding.ASCII.GetString(await ReadExactlyAsync(2, cancellationToken)));
        return Encoding.UTF8.GetString(data);
    }

    /// <summary>True when the server has closed the connection and nothing is left to read.</summary>
    public async Task<bool> IsClosedAsync(CancellationToken cancellationToken) => _start == _end && !await FillAsync(cancellationToken);

    public void Dispose()
    {
        _stream.Dispose();
        if (_ownsSocket)
        {
            _socket.Dispose();
        }
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (newline >= 0)
            {
                string line = Encoding.ASCII.GetString(_buffer, _start, newline);
                _start += newline + 2;
                return line;
            }

            Assert.True(_end - _start < 8192, "a head or chunk-size line longer than 8 KB");
            if (!await FillAsync(cancellationToken))
            {
                Assert.True(_start == _end, "the connection closed in the middle of a line");
                return null;
            }
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int length, CancellationToken cancellationToken)
    {
        var result = new byte[length];
        int at = 0;
        while (at < length)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new EndOfStreamException($"the connection closed {length - at} bytes into a chunk of {length}: a torn chunk");
            }

            int n = Math.Min(length - at, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(result.AsSpan(at));
            _start += n;
            at += n;
        }

        return result;
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        int n = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        _end += n;
        return n > 0;
    }
}
