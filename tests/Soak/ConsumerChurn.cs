using System.Net.WebSockets;

namespace Diode.Edge.Tests.Soak;

/// <summary>
/// Consumers that connect, read a few frames and leave, again and again: half over Server-Sent Events, half over
/// WebSocket, spread over the streams and over every address given (the agent's own port, the ports the Diode
/// stand-in forwards for remote devices). Runs until the token is cancelled; failures (a client restarting, a full
/// stream) are counted and retried after a pause.
/// </summary>
public sealed class ConsumerChurn
{
    private readonly IReadOnlyList<Uri> _addresses;
    private readonly IReadOnlyList<string> _streams;
    private long _sessions;
    private long _frames;
    private long _failures;

    public ConsumerChurn(IReadOnlyList<Uri> addresses, IReadOnlyList<string> streams)
    {
        _addresses = addresses;
        _streams = streams;
    }

    public long Sessions => Interlocked.Read(ref _sessions);

    public long Frames => Interlocked.Read(ref _frames);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Runs <paramref name="consumers"/> consumers until <paramref name="stop"/>; returns when every one has left.</summary>
    public async Task RunAsync(int consumers, int seed, CancellationToken stop)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { Timeout = Timeout.InfiniteTimeSpan };
        var loops = new Task[consumers];
        for (int i = 0; i < consumers; i++)
        {
            var random = new Random(seed * 1000 + i);
            bool webSocket = i % 2 == 1;
            Uri address = _addresses[i % _addresses.Count];
            loops[i] = Task.Run(() => ConsumeAsync(http, address, webSocket, random, stop), CancellationToken.None);
        }

        await Task.WhenAll(loops);
    }

    private async Task ConsumeAsync(HttpClient http, Uri address, bool webSocket, Random random, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            string stream = _streams[random.Next(_streams.Count)];
            int frames = random.Next(3, 25);
            try
            {
                using var session = CancellationTokenSource.CreateLinkedTokenSource(stop);
                session.CancelAfter(TimeSpan.FromSeconds(20));
                int read = webSocket
                    ? await ReadWebSocketAsync(address, stream, frames, session.Token)
                    : await ReadEventsAsync(http, address, stream, frames, session.Token);
                Interlocked.Add(ref _frames, read);
                Interlocked.Increment(ref _sessions);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or WebSocketException or OperationCanceledException or InvalidOperationException)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                Interlocked.Increment(ref _failures);
                await Pause(500, stop);
            }

            await Pause(random.Next(0, 300), stop);
        }
    }

    private static async Task<int> ReadEventsAsync(HttpClient http, Uri address, string stream, int frames, CancellationToken token)
    {
        using var response = await http.GetAsync(new Uri(address, $"/streams/{stream}/events"), HttpCompletionOption.ResponseHeadersRead, token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {address}");
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(token));
        int read = 0;
        while (read < frames && await reader.ReadLineAsync(token) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                read++;
            }
        }

        return read;
    }

    private static async Task<int> ReadWebSocketAsync(Uri address, string stream, int frames, CancellationToken token)
    {
        using var socket = new ClientWebSocket();
        var uri = new UriBuilder(address) { Scheme = "ws", Path = $"/streams/{stream}/ws" }.Uri;
        await socket.ConnectAsync(uri, token);
        byte[] buffer = new byte[4096];
        int read = 0;
        while (read < frames)
        {
            var result = await socket.ReceiveAsync(buffer, token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            if (result.EndOfMessage)
            {
                read++;
            }
        }

        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "enough", token);
        return read;
    }

    private static async Task Pause(int milliseconds, CancellationToken stop)
    {
        try
        {
            await Task.Delay(milliseconds, stop);
        }
        catch (OperationCanceledException)
        {
            // The phase ended.
        }
    }
}
