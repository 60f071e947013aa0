using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Tests.Support;

/// <summary>
/// The Diode client's config API (cmd/diode/config_server.go, v1.18.8) as far as the agent uses it, answering byte for
/// byte like the Go server: <c>requireJSON</c> around every route (415 without <c>Content-Type: application/json</c>,
/// GET included), <c>GET /config</c>, <c>GET /connection-client-id?peer=</c> (400 without peer, 404 unknown,
/// <c>{"clientId":"0x…"}</c> + newline from <c>json.Encoder</c>), 404 <c>not found</c> for anything else.
/// </summary>
public sealed class FakeDiodeConfigApi : IAsyncDisposable
{
    public const string ClientAddress = "0x9f2b1c33a4e77d3f0b5a68e1c2d4f6a8b0c1d2e3";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _peers = new(StringComparer.Ordinal);

    private FakeDiodeConfigApi(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>Every <c>peer</c> asked for, in order.</summary>
    public ConcurrentQueue<string> Lookups { get; } = new();

    /// <summary>When set, <c>GET /config</c> answers this many bytes (a JSON string), with or without a Content-Length.</summary>
    public int? OversizedConfig { get; set; }

    public bool OversizedWithLength { get; set; }

    /// <summary>When set, <c>GET /config</c> answers as many ports as it takes to make the body at least this many bytes (a client with many published ports).</summary>
    public int? LargeConfigBytes { get; set; }

    /// <summary>Bytes of the oversized body the server managed to write before the client went away.</summary>
    public long OversizedBytesWritten => Interlocked.Read(ref _oversizedBytesWritten);

    private long _oversizedBytesWritten;

    /// <summary>A mapping that appears only after this many lookups of that peer (the client registers it just after the dial).</summary>
    public int RegisterAfterLookups { get; set; }

    private readonly ConcurrentDictionary<string, int> _lookupCounts = new(StringComparer.Ordinal);

    /// <summary>Maps a peer (<c>ip:port</c>, as the backend sees the client's end) to the Diode address at the other end, as rpc/bridge.go does.</summary>
    public void Map(IPEndPoint peer, string clientId) => _peers[peer.ToString()] = clientId;

    public static async Task<FakeDiodeConfigApi> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var fake = new FakeDiodeConfigApi(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Port = new Uri(app.Urls.First()).Port;
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        response.ContentType = "application/json; charset=utf-8";
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || mediaType.MediaType != "application/json")
        {
            await WriteAsync(response, 415, """{"success":false,"message":"unsupported media type"}""");
            return;
        }

        switch (request.Path.Value)
        {
            case "/connection-client-id":
                await ConnectionClientIdAsync(context);
                return;
            case "/config" when request.Method == "GET":
                await ConfigAsync(response, context.RequestAborted);
                return;
            default:
                await WriteAsync(response, 404, """{"success":false,"message":"not found"}""");
                return;
        }
    }

    private async Task ConnectionClientIdAsync(HttpContext context)
    {
        var response = context.Response;
        if (context.Request.Method != "GET")
        {
            await WriteAsync(response, 404, """{"success":false,"message":"not found"}""");
            return;
        }

        string peer = context.Request.Query["peer"].FirstOrDefault()?.Trim() ?? string.Empty;
        if (peer.Length == 0)
        {
            await WriteAsync(response, 400, """{"success":false,"message":"validation error","error":{"peer":"required"}}""");
            return;
        }

        Lookups.Enqueue(peer);
        int count = _lookupCounts.AddOrUpdate(peer, 1, (_, n) => n + 1);
        if (!_peers.TryGetValue(peer, out string? clientId) || count <= RegisterAfterLookups)
        {
            await WriteAsync(response, 404, """{"success":false,"message":"not found"}""");
            return;
        }

        response.ContentType = "application/json";
        await WriteAsync(response, 200, "{\"clientId\":\"" + clientId + "\"}\n");
    }

    private async Task ConfigAsync(HttpResponse response, CancellationToken aborted)
    {
        if (OversizedConfig is { } size)
        {
            if (OversizedWithLength)
            {
                response.ContentLength = size;
            }

            response.StatusCode = 200;
            var chunk = new byte[4096];
            Array.Fill(chunk, (byte)' ');
            try
            {
                for (long written = 0; written < size; written += chunk.Length)
                {
                    await response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, size - written)), aborted);
                    await response.Body.FlushAsync(aborted);
                    Interlocked.Add(ref _oversizedBytesWritten, chunk.Length);

                    // At most about 4 MB/s: a client that reads on is still reading long after a bounded one has returned.
                    await Task.Delay(1, aborted);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
            }

            return;
        }

        string ports = """{"localPort":8081,"externPort":80,"protocol":"any","mode":"protected"}""";
        if (LargeConfigBytes is { } large)
        {
            var more = new System.Text.StringBuilder(ports);
            for (int extern_ = 10000; more.Length < large; extern_++)
            {
                more.Append(",{\"localPort\":8081,\"externPort\":").Append(extern_).Append(",\"protocol\":\"tcp\",\"mode\":\"protected\"}");
            }

            ports = more.ToString();
        }

        await WriteAsync(response, 200, $$$"""{"success":true,"message":"ok","config":{"client":"{{{ClientAddress}}}","fleet":"0x6000000000000000000000000000000000000000","version":"v1.18.8","lastValidBlockNumber":0,"lastValidBlockHash":"","binds":[],"ports":[{{{ports}}}],"controls":{"fleet":"0x6000000000000000000000000000000000000000"},"enableSocks":false,"enableProxy":false,"enableSecureProxy":false}}""");
    }

    private static async Task WriteAsync(HttpResponse response, int status, string body)
    {
        response.StatusCode = status;
        await response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
