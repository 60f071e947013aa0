using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Diode.Edge.Agent.Logging;
using Diode.Edge.Contract;
using Nethereum.Signer;
using Polly;
using Polly.Retry;
using Diode.Edge.Agent.Resilience;

namespace Diode.Edge.Agent.Cli;

/// <summary>
/// <c>diode-edge subscribe URL [--device 0xADDR]</c>: prints each frame of a stream, one JSON frame per line, after
/// verifying it against the device address (forged frames stop it unless --keep-going; replays are dropped; gaps are
/// reported on stderr). Frames of another stream than the one asked for are refused like forged ones; every line read
/// is bounded (64 KB; a longer one is skipped, never buffered); refusals get at most one stderr line per 10 s per
/// reason, with the count of the rest. A dropped connection is resumed with Last-Event-ID, with exponential backoff.
/// </summary>
internal static class SubscribeCommand
{
    public sealed record Options(Uri Url, int? Count, string? Device, bool KeepGoing);

    public static async Task<int> ExecuteAsync(Options options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var url = EventsUrl(options.Url);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var session = new Session(options, url, http, output, error);
        try
        {
            string? device = options.Device ?? await session.TrustOnFirstUseAsync(cancellationToken).ConfigureAwait(false);
            if (device is null)
            {
                return ExitCodes.Unavailable;
            }

            session.Verifier = new FrameVerifier(device, StreamOf(url));
            int? first = await session.ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
            if (first is { } done)
            {
                return done;
            }

            var reconnect = RetryForever.Pipeline<int?>(
                TimeSpan.FromSeconds(1),
                TimeSpan.FromSeconds(30),
                shouldHandle: new PredicateBuilder<int?>().Handle<HttpRequestException>().Handle<IOException>().HandleResult(r => r is null),
                onRetry: args => new ValueTask(error.WriteLineAsync($"connection to {url} lost ({args.Outcome.Exception?.Message ?? "stream ended"}); resuming after {session.LastEventId ?? "the start"} in {args.RetryDelay.TotalSeconds:F1} s")));
            return await reconnect.ExecuteAsync(ct => new ValueTask<int?>(session.ConnectOnceAsync(ct)), cancellationToken).ConfigureAwait(false) ?? ExitCodes.Unavailable;
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
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync("error: --device: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
    }

    /// <summary>Accepts the events URL itself or the stream's URL (<c>…/streams/env</c>), for convenience.</summary>
    private static Uri EventsUrl(Uri url)
    {
        string path = url.AbsolutePath.TrimEnd('/');
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 2 && segments[0] == "streams" ? new Uri(url, path + "/events" + url.Query) : url;
    }

    /// <summary>The stream id of <c>…/streams/{id}/events</c>; null for another URL (then frames of any stream are accepted).</summary>
    private static string? StreamOf(Uri events)
    {
        string[] segments = events.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 3 && segments[^3] == "streams" && segments[^1] == "events" ? Uri.UnescapeDataString(segments[^2]) : null;
    }

    private sealed class Session(Options options, Uri url, HttpClient http, TextWriter output, TextWriter error)
    {
        private readonly KeyedRefusalLog _refusals = new(TimeProvider.System, TimeSpan.FromSeconds(10));
        private int _printed;

        public FrameVerifier? Verifier { get; set; }

        public string? LastEventId { get; private set; }

        /// <summary>Without --device: the address from /identity, after checking its signed statement; trusted on first use.</summary>
        public async Task<string?> TrustOnFirstUseAsync(CancellationToken cancellationToken)
        {
            var identityUrl = new Uri(url, "/identity");
            var identity = await http.GetFromJsonAsync(identityUrl, AgentJsonContext.Default.IdentityResponse, cancellationToken).ConfigureAwait(false);
            if (identity is null || !EthereumAddress.IsAddress(identity.Address))
            {
                await error.WriteLineAsync($"error: {identityUrl}: no device address").ConfigureAwait(false);
                return null;
            }

            string signer = new EthereumMessageSigner().EcRecover(Encoding.UTF8.GetBytes(identity.Statement), identity.Sig);
            if (!string.Equals(signer, identity.Address, StringComparison.OrdinalIgnoreCase) || !identity.Statement.Contains(identity.Address, StringComparison.Ordinal))
            {
                await error.WriteLineAsync($"error: {identityUrl}: the identity statement is not signed by {identity.Address}").ConfigureAwait(false);
                return null;
            }

            await error.WriteLineAsync($"trusting device {identity.Address} from {identityUrl} on first use; pass --device {identity.Address} to pin it").ConfigureAwait(false);
            return identity.Address;
        }

        /// <summary>One connection: an exit code when done (count reached, forged frame, HTTP error), null when the stream ended.</summary>
        public async Task<int?> ConnectOnceAsync(CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            if (LastEventId is not null)
            {
                request.Headers.Add("Last-Event-ID", LastEventId);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                await error.WriteLineAsync($"error: {url}: HTTP {(int)response.StatusCode} {body.Trim()}").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new BoundedSseReader(stream);
            long oversized = 0;
            try
            {
                await foreach (var item in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (reader.OversizedLines > oversized)
                    {
                        oversized = reader.OversizedLines;
                        await RefuseAsync("oversized", $"skipped a line longer than {reader.MaxLineLength} bytes ({oversized} so far), not buffered").ConfigureAwait(false);
                    }

                    if (item.EventType != "frame")
                    {
                        continue;
                    }

                    var verdict = Verifier!.Verify(Encoding.UTF8.GetBytes(item.Data));
                    if (!verdict.Accepted)
                    {
                        await RefuseAsync(verdict.Kind!, $"{(verdict.IsReplay ? "dropped" : "REJECTED")} frame {item.EventId}: {verdict.Reason}").ConfigureAwait(false);
                        if (!verdict.IsReplay && !options.KeepGoing)
                        {
                            return ExitCodes.DataError;
                        }

                        continue;
                    }

                    if (verdict.Missed > 0)
                    {
                        await error.WriteLineAsync($"gap: {verdict.Missed} frames of stream {verdict.Stream} missed before {verdict.Position}").ConfigureAwait(false);
                    }

                    LastEventId = item.EventId;
                    await output.WriteLineAsync(item.Data).ConfigureAwait(false);
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (options.Count is { } limit && ++_printed >= limit)
                    {
                        return ExitCodes.Ok;
                    }
                }
            }
            finally
            {
                foreach (var (kind, count) in _refusals.TakeSuppressed())
                {
                    await error.WriteLineAsync($"{count} more {kind} without a line of their own").ConfigureAwait(false);
                }
            }

            return null;
        }

        /// <summary>At most one line per 10 s per kind of refusal, which says how many were held back before it.</summary>
        private async Task RefuseAsync(string kind, string line)
        {
            if (_refusals.ShouldLog(kind, out long suppressed))
            {
                await error.WriteLineAsync(suppressed > 0 ? $"{line} ({suppressed} more like it since the last line)" : line).ConfigureAwait(false);
            }
        }
    }
}
