using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Diode.Edge.Agent.Hosting;

namespace Diode.Edge.Tests.Dashboard;

/// <summary>
/// A hostile relay for the dashboard tests: it passes the agent's pages and streams through, and can alter one frame on
/// its way (the value changes, the signature stays: a forgery a consumer must catch), or drop every live stream once and
/// refuse reconnections for a while (a relay restarting, a network drop).
/// </summary>
public sealed class TamperingRelay : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly TimeProvider _time = TimeProvider.System;
    private int _framesPassed;
    private int _forged;
    private int _drops;
    private long _refuseUntil;

    private TamperingRelay(WebApplication app, HttpClient upstream)
    {
        _app = app;
        _upstream = upstream;
    }

    public Uri Address => _app.BoundAddress();

    /// <summary>The stream whose <see cref="ForgeAtFrame"/>-th frame through this relay gets <see cref="ForgedValue"/>.</summary>
    public string? ForgeStream { get; set; }

    public int ForgeAtFrame { get; set; } = 10;

    public double ForgedValue { get; set; } = 99.99;

    /// <summary>After this many frames through the relay (all streams), every live stream ends and reconnections get 503 for <see cref="RefuseFor"/>.</summary>
    public int? DropAfterFrames { get; set; }

    public TimeSpan RefuseFor { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>The frames altered so far.</summary>
    public int Forged => Volatile.Read(ref _forged);

    /// <summary>How often the drop happened (once at most).</summary>
    public int Drops => Volatile.Read(ref _drops);

    public static async Task<TamperingRelay> StartAsync(Uri agent)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var upstream = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = agent, Timeout = Timeout.InfiniteTimeSpan };
        var relay = new TamperingRelay(app, upstream);
        app.Map("/{**path}", relay.ProxyAsync);
        await app.StartAsync();
        return relay;
    }

    private async Task ProxyAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "/";
        bool events = path.StartsWith("/streams/", StringComparison.Ordinal) && path.EndsWith("/events", StringComparison.Ordinal);
        if (events && _time.GetTimestamp() < Interlocked.Read(ref _refuseUntil))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "2";
            return;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, path + context.Request.QueryString);
        foreach (string header in new[] { "Last-Event-ID", "Accept", "Accept-Encoding", "If-None-Match" })
        {
            if (context.Request.Headers.TryGetValue(header, out var value))
            {
                request.Headers.TryAddWithoutValidation(header, value.ToArray());
            }
        }

        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (!header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        if (!events || response.StatusCode != HttpStatusCode.OK)
        {
            await body.CopyToAsync(context.Response.Body, context.RequestAborted);
            return;
        }

        context.Response.Headers.ContentLength = null;
        await PassEventsAsync(path.Split('/')[2], body, context);
    }

    /// <summary>Passes the event stream through one event at a time, altering or ending it as configured.</summary>
    private async Task PassEventsAsync(string streamId, Stream body, HttpContext context)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var block = new StringBuilder();
        while (await reader.ReadLineAsync(context.RequestAborted) is { } line)
        {
            if (line.Length > 0)
            {
                block.Append(line).Append('\n');
                continue;
            }

            string text = block.ToString();
            block.Clear();
            if (text.Contains("event: frame\n", StringComparison.Ordinal))
            {
                int passed = Interlocked.Increment(ref _framesPassed);
                if (streamId == ForgeStream && passed >= ForgeAtFrame && Interlocked.CompareExchange(ref _forged, 1, 0) == 0)
                {
                    text = Forge(text);
                }

                if (DropAfterFrames is { } drop && passed >= drop && Interlocked.CompareExchange(ref _drops, 1, 0) == 0)
                {
                    Interlocked.Exchange(ref _refuseUntil, _time.GetTimestamp() + (long)(RefuseFor.TotalSeconds * _time.TimestampFrequency));
                }
            }

            if (_time.GetTimestamp() < Interlocked.Read(ref _refuseUntil))
            {
                return; // the drop: this connection ends here
            }

            await context.Response.WriteAsync(text + "\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    /// <summary>The same event with the first quantity's value replaced in the signed payload; the signature is kept.</summary>
    private string Forge(string eventText)
    {
        var lines = eventText.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var frame = JsonNode.Parse(lines[i]["data: ".Length..])!.AsObject();
            var payload = JsonNode.Parse(frame["payload"]!.GetValue<string>())!.AsObject();
            var values = payload["values"]!.AsObject();
            string quantity = values.First().Key;
            values[quantity] = ForgedValue;
            frame["payload"] = payload.ToJsonString();
            lines[i] = "data: " + frame.ToJsonString();
        }

        return string.Join('\n', lines);
    }

    public async ValueTask DisposeAsync()
    {
        _upstream.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
