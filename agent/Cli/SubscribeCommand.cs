using System.Net.Http.Headers;
using System.Net.ServerSentEvents;

namespace Diode.Edge.Agent.Cli;

/// <summary><c>diode-edge subscribe URL</c>: prints each frame of a stream's Server-Sent Events, one JSON frame per line.</summary>
public static class SubscribeCommand
{
    public static async Task<int> ExecuteAsync(Uri url, int? count, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        url = EventsUrl(url);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        int printed = 0;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                await error.WriteLineAsync($"error: {url}: HTTP {(int)response.StatusCode} {body.Trim()}").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item.EventType != "frame")
                {
                    continue;
                }

                await output.WriteLineAsync(item.Data).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (count is { } limit && ++printed >= limit)
                {
                    return ExitCodes.Ok;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"error: {url}: {ex.Message} (is diode-edge running there?)").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"error: {url}: connection lost: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }

        await error.WriteLineAsync($"error: {url}: the server ended the stream after {printed} frames").ConfigureAwait(false);
        return ExitCodes.Unavailable;
    }

    /// <summary>Accepts the events URL itself or the stream's URL (<c>…/streams/env</c>), for convenience.</summary>
    private static Uri EventsUrl(Uri url)
    {
        string path = url.AbsolutePath.TrimEnd('/');
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 2 && segments[0] == "streams" ? new Uri(url, path + "/events" + url.Query) : url;
    }
}
