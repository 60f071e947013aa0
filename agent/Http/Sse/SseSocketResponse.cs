using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Diode.Edge.Agent.Http.Sse;

/// <summary>
/// When and how an SSE response is written on the connection's socket by the fan-out instead of through Kestrel's
/// per-connection output: plain HTTP/1.1 (no TLS, no HTTP/2), a request without a body, on the connection's first
/// request (Kestrel has written nothing on it, so no earlier response can be waiting in its buffers), and only when the
/// transport is Kestrel's socket transport behind a <see cref="DetachableConnection"/>. The response is then chunked,
/// marked <c>Connection: close</c>, and the connection is detached from the HTTP layer and closed when the consumer is
/// done, so Kestrel never writes on it again.
/// </summary>
internal static class SseSocketResponse
{
    public static (Socket Socket, DetachableConnection Connection)? TryTake(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || !HttpProtocol.IsHttp11(request.Protocol) || request.IsHttps || context.Response.HasStarted
            || request.ContentLength is > 0 || request.Headers.ContainsKey("Transfer-Encoding"))
        {
            return null;
        }

        if (context.Features.Get<DetachableConnection>() is not { Requests: 1, IsDetached: false } connection
            || context.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket)
        {
            return null;
        }

        return (socket, connection);
    }

    /// <summary>The status line and headers (the ones already set on <paramref name="response"/>), then the first chunk.</summary>
    public static byte[] Head(HttpResponse response, DateTimeOffset now, ReadOnlySpan<byte> firstChunk)
    {
        var head = new StringBuilder(256);
        head.Append("HTTP/1.1 200 OK\r\n");
        foreach (var (name, values) in response.Headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Date", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (string? value in values)
            {
                head.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        head.Append("Date: ").Append(now.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n");
        head.Append("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        string text = head.ToString();
        int length = Encoding.ASCII.GetByteCount(text);
        var bytes = new byte[length + firstChunk.Length];
        Encoding.ASCII.GetBytes(text, bytes);
        firstChunk.CopyTo(bytes.AsSpan(length));
        return bytes;
    }
}
