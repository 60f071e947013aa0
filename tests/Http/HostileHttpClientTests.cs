using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Http;

/// <summary>
/// Hostile HTTP clients against the real executable (the hostile-input tier): path traversal, oversized request
/// lines and headers, slowloris, a flood of connections that say nothing, bodies sent to read-only endpoints. Each is
/// refused by the server's limits, costs bounded memory (recorded in artifacts/hostile/figures.txt), leaves no file
/// descriptor behind, and the agent keeps answering a well-behaved client throughout.
/// </summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Hostile)]
public sealed class HostileHttpClientTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private AgentExecutable _agent = null!;

    public async Task InitializeAsync() => _agent = await AgentExecutable.StartAsync("agent", _dir.Path, """
        { "http": { "port": 0 }, "identity": { "keyPath": "device.key" }, "store": { "enabled": false },
          "watchdog": { "enabled": false }, "diode": { "enabled": false },
          "sensors": [ { "type": "simulated", "name": "env", "interval": "200ms" } ] }
        """);

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("/../../../../etc/passwd")]
    [InlineData("/%2e%2e/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/streams/..%2f..%2f..%2f..%2fetc%2fpasswd/latest")]
    [InlineData("/assets/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd")]
    [InlineData("/assets/%252e%252e/%252e%252e/etc/passwd")]
    [InlineData("//etc/passwd")]
    [InlineData("/streams/env/../../../../etc/passwd")]
    [InlineData("/\\..\\..\\..\\etc\\passwd")]
    public async Task A_traversal_never_reaches_a_file_outside_what_the_agent_serves(string path)
    {
        var (status, response) = await RawAsync($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        Assert.DoesNotContain("root:x:0:0", response, StringComparison.Ordinal);
        Assert.True(status is 400 or 404 or 200, $"{path}: {status}\n{response[..Math.Min(300, response.Length)]}");
        if (status == 200)
        {
            Assert.Contains("<!doctype html>", response, StringComparison.OrdinalIgnoreCase); // the dashboard's own page, nothing else
        }
    }

    [Fact]
    public async Task Oversized_request_lines_and_headers_are_refused_with_their_status_and_cost_nothing()
    {
        await using var rss = PeakRss.Watch(_agent.Pid);
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(414, (await RawAsync($"GET /{new string('a', 8192)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")).Status);
            Assert.Equal(431, (await RawAsync($"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {new string('b', 64 * 1024)}\r\n\r\n")).Status);
            Assert.Equal(431, (await RawAsync("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + string.Concat(Enumerable.Range(0, 100).Select(n => $"X-H{n}: v\r\n")) + "\r\n")).Status);
        }

        Assert.InRange(await rss.RecordAsync("HTTP: 150 oversized request lines and headers"), long.MinValue, 20L << 20);
        Assert.True((await _agent.Http.GetAsync("/health")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Slowloris_connections_are_closed_after_the_header_timeout_and_never_stall_a_real_client()
    {
        await using var rss = PeakRss.Watch(_agent.Pid);
        var clients = new List<TcpClient>();
        for (int i = 0; i < 200; i++)
        {
            var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", _agent.Address.Port);
            await client.GetStream().WriteAsync("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "u8.ToArray());
            clients.Add(client);
        }

        var clock = Stopwatch.StartNew();
        var closed = clients.Select(c => TrickleUntilClosedAsync(c)).ToList();
        var served = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            var answer = Stopwatch.StartNew();
            Assert.True((await _agent.Http.GetAsync("/health")).IsSuccessStatusCode);
            Assert.True(answer.Elapsed < TimeSpan.FromSeconds(2), $"a real client waited {answer.Elapsed} among slowloris connections");
            await Task.Delay(250);
        }

        TimeSpan[] after = await Task.WhenAll(closed).WaitAsync(TimeSpan.FromSeconds(40));
        Assert.All(after, t => Assert.InRange(t, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(25))); // RequestHeadersTimeout is 10 s
        Assert.InRange(await rss.RecordAsync("HTTP: 200 slowloris connections"), long.MinValue, 30L << 20);
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Twenty_thousand_connections_that_say_nothing_leave_no_descriptor_behind()
    {
        // Warm the server up, then count.
        Assert.True((await _agent.Http.GetAsync("/health")).IsSuccessStatusCode);
        int before = Directory.GetFileSystemEntries($"/proc/{_agent.Pid}/fd").Length;
        await using var rss = PeakRss.Watch(_agent.Pid);
        await Parallel.ForAsync(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", _agent.Address.Port, ct);
        });

        var deadline = Stopwatch.StartNew();
        int after;
        while ((after = Directory.GetFileSystemEntries($"/proc/{_agent.Pid}/fd").Length) > before + 2 && deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100);
        }

        Assert.InRange(after, 0, before + 2);
        Assert.InRange(await rss.RecordAsync("HTTP: 20,000 silent connect/disconnect cycles"), long.MinValue, 64L << 20);
        Assert.True((await _agent.Http.GetAsync("/health")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_gigabyte_body_sent_to_a_read_endpoint_is_refused_and_the_connection_closed_without_reading_it()
    {
        await using var rss = PeakRss.Watch(_agent.Pid);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _agent.Address.Port);
        var stream = client.GetStream();
        await stream.WriteAsync("POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1073741824\r\n\r\n"u8.ToArray());
        byte[] chunk = new byte[64 * 1024];
        long sent = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            while (sent < 1L << 30 && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await stream.WriteAsync(chunk).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
                sent += chunk.Length;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or TimeoutException)
        {
            // The server closed the connection (or stopped reading): what we want.
        }

        Assert.True(sent < 64L << 20, $"the agent took {sent >> 20} MB of a body it never needed");
        Assert.InRange(await rss.RecordAsync("HTTP: a 1 GB body to a read-only endpoint"), long.MinValue, 20L << 20);
        Assert.True((await _agent.Http.GetAsync("/health")).IsSuccessStatusCode);
    }

    private static async Task<TimeSpan> TrickleUntilClosedAsync(TcpClient client)
    {
        var clock = Stopwatch.StartNew();
        var stream = client.GetStream();
        byte[] buffer = new byte[1024];
        var reading = stream.ReadAsync(buffer).AsTask();
        try
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(35))
            {
                if (await Task.WhenAny(reading, Task.Delay(1000)) == reading)
                {
                    int read = await reading;
                    if (read == 0 || Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.1 408", StringComparison.Ordinal))
                    {
                        return clock.Elapsed;
                    }

                    reading = stream.ReadAsync(buffer).AsTask();
                }

                await stream.WriteAsync("x"u8.ToArray());
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            return clock.Elapsed;
        }

        return clock.Elapsed;
    }

    private async Task<(int Status, string Response)> RawAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _agent.Address.Port);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(request));
        }
        catch (IOException)
        {
            // The server may answer and close before the whole request is written.
        }

        var response = new MemoryStream();
        byte[] buffer = new byte[8192];
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            int read;
            while (response.Length < 1 << 20 && (read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                response.Write(buffer, 0, read);
                if (request.Contains("Connection: close", StringComparison.Ordinal) is false && HasWholeHead(response))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // Reset after the answer.
        }

        string text = Encoding.UTF8.GetString(response.ToArray());
        Assert.True(text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal), $"no HTTP answer to {request[..Math.Min(80, request.Length)]}: '{text}'");
        return (int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture), text);
    }

    private static bool HasWholeHead(MemoryStream response) => Encoding.ASCII.GetString(response.GetBuffer(), 0, (int)response.Length).Contains("\r\n\r\n", StringComparison.Ordinal);
}
