using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>
/// cmd/diode/config_server.go on a small HTTP/1.1 server of its own (no ASP.NET host, whose console lifetime would
/// take over SIGINT/SIGTERM). Handler chain as in ListenAndServe: requireJSON (Content-Type must parse as
/// application/json, even on GET; else 415) → rs/cors (Vary: Origin; http://localhost allowed) → the mux:
/// /connection-client-id (since v1.17.6), /config, and / (everything else: 404 "not found").
/// </summary>
internal sealed class ConfigApiServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<string> _config;
    private readonly ConnectionPeers _peers;
    private readonly bool _connectionClientId;
    private readonly Func<bool> _hung;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _held = [];

    private ConfigApiServer(TcpListener listener, Func<string> config, ConnectionPeers peers, bool connectionClientId, Func<bool> hung)
    {
        _listener = listener;
        _config = config;
        _peers = peers;
        _connectionClientId = connectionClientId;
        _hung = hung;
    }

    /// <summary>The bound address, ln.Addr().String().</summary>
    public string Address => _listener.LocalEndpoint.ToString()!;

    /// <summary>net.Listen("tcp", addr); the error text is Go's for the common failure.</summary>
    public static ConfigApiServer Listen(string addr, Func<string> config, ConnectionPeers peers, bool connectionClientId, Func<bool> hung, out string? error)
    {
        error = null;
        int colon = addr.LastIndexOf(':');
        string host = colon >= 0 ? addr[..colon].Trim('[', ']') : addr;
        int port = colon >= 0 && int.TryParse(addr[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : 0;
        var ip = host is "" ? IPAddress.Any : host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host, out var parsed) ? parsed : IPAddress.Loopback;
        var listener = new TcpListener(ip, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            error = e.SocketErrorCode == SocketError.AddressAlreadyInUse ? $"listen tcp {addr}: bind: address already in use" : $"listen tcp {addr}: {e.Message}";
            listener.Dispose();
        }

        var server = new ConfigApiServer(listener, config, peers, connectionClientId, hung);
        if (error is null)
        {
            _ = Task.Run(() => server.AcceptAsync(server._stop.Token));
        }

        return server;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Dispose();
        lock (_held)
        {
            foreach (var c in _held)
            {
                c.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(ct);
                _ = Task.Run(() => ServeAsync(client, ct), CancellationToken.None);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken ct)
    {
        if (_hung())
        {
            lock (_held)
            {
                _held.Add(client);
            }

            return;
        }

        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var reader = new HttpRequestReader(stream);
                while (!ct.IsCancellationRequested)
                {
                    var request = await reader.ReadAsync(ct);
                    if (request is null)
                    {
                        return;
                    }

                    if (_hung())
                    {
                        lock (_held)
                        {
                            _held.Add(client);
                        }

                        await Task.Delay(Timeout.Infinite, ct);
                    }

                    var (status, headers, body) = Handle(request);
                    await WriteAsync(stream, status, headers, body, request.KeepAlive, ct);
                    if (!request.KeepAlive)
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or FormatException)
            {
            }
        }
    }

    private (int Status, List<(string, string)> Headers, string Body) Handle(HttpRequest request)
    {
        var headers = new List<(string, string)> { ("Content-Type", "application/json; charset=utf-8") };

        // requireJSON
        if (!IsJson(request.Header("Content-Type")))
        {
            return (415, headers, Failure("unsupported media type"));
        }

        // rs/cors: every actual request varies on Origin; preflights are answered by cors itself.
        string? origin = request.Header("Origin");
        if (request.Method == "OPTIONS" && request.Header("Access-Control-Request-Method") is not null)
        {
            headers.Add(("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"));
            if (origin == "http://localhost")
            {
                headers.Add(("Access-Control-Allow-Origin", origin));
                headers.Add(("Access-Control-Allow-Methods", request.Header("Access-Control-Request-Method")!.ToUpperInvariant()));
                headers.Add(("Access-Control-Allow-Credentials", "true"));
            }

            headers.RemoveAll(h => h.Item1 == "Content-Type");
            return (204, headers, "");
        }

        headers.Add(("Vary", "Origin"));
        if (origin == "http://localhost")
        {
            headers.Add(("Access-Control-Allow-Origin", origin));
            headers.Add(("Access-Control-Allow-Credentials", "true"));
            headers.Add(("Access-Control-Expose-Headers", "Content-Type"));
        }

        switch (request.Path)
        {
            case "/connection-client-id" when _connectionClientId:
                return ConnectionClientId(request, headers);
            case "/config":
                if (request.Method == "GET")
                {
                    return (200, headers, _config());
                }

                if (request.Method == "PUT")
                {
                    // Decoded like the source (an invalid body is a 500); the stand-in does not apply controls.
                    try
                    {
                        using var _ = JsonDocument.Parse(request.Body);
                        return (200, headers, Success("ok"));
                    }
                    catch (JsonException)
                    {
                        return (500, headers, Failure("internal server error"));
                    }
                }

                return (404, headers, Failure("not found"));
            case "/":
                return (200, headers, Success("ok"));
            default:
                return (404, headers, Failure("not found"));
        }
    }

    private (int, List<(string, string)>, string) ConnectionClientId(HttpRequest request, List<(string, string)> headers)
    {
        if (request.Method != "GET")
        {
            return (404, headers, Failure("not found"));
        }

        string peer = request.Query("peer").Trim();
        if (peer.Length == 0)
        {
            return (400, headers, "{\"success\":false,\"message\":\"validation error\",\"error\":{\"peer\":\"required\"}}");
        }

        if (_peers.Lookup(peer) is not { } device)
        {
            return (404, headers, Failure("not found"));
        }

        headers[0] = ("Content-Type", "application/json");

        // json.NewEncoder(w).Encode ends the body with a newline.
        return (200, headers, $"{{\"clientId\":\"{device}\"}}\n");
    }

    /// <summary>mime.ParseMediaType(contentType) == "application/json" (lower-cased, parameters must parse).</summary>
    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        string[] parts = contentType.Split(';');
        if (!string.Equals(parts[0].Trim(), "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (string param in parts.Skip(1))
        {
            string p = param.Trim();
            if (p.Length == 0)
            {
                continue;
            }

            int eq = p.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == p.Length - 1)
            {
                return false;
            }
        }

        return true;
    }

    private static string Failure(string message) => $"{{\"success\":false,\"message\":\"{message}\"}}";

    private static string Success(string message) => $"{{\"success\":true,\"message\":\"{message}\"}}";

    private static async Task WriteAsync(NetworkStream stream, int status, List<(string, string)> headers, string body, bool keepAlive, CancellationToken ct)
    {
        string reason = status switch
        {
            200 => "OK",
            204 => "No Content",
            400 => "Bad Request",
            404 => "Not Found",
            415 => "Unsupported Media Type",
            500 => "Internal Server Error",
            _ => "Service Unavailable",
        };
        byte[] payload = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n");
        foreach (var (name, value) in headers.OrderBy(h => h.Item1, StringComparer.Ordinal))
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("Date: ").Append(DateTime.UtcNow.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n");
        if (status != 204)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {payload.Length}\r\n");
        }

        if (!keepAlive)
        {
            head.Append("Connection: close\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct);
        await stream.WriteAsync(payload, ct);
        await stream.FlushAsync(ct);
    }
}
