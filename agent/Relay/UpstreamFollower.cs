using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Http;
using Diode.Edge.Agent.Logging;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;
using Diode.Edge.Sensors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Diode.Edge.Agent.Resilience;

namespace Diode.Edge.Agent.Relay;

/// <summary>
/// Follows every stream of the upstream (an agent or another relay) with one SSE subscription each, verifies every
/// frame against the device address, and forwards only genuine, newer frames into the local hub, unchanged. A dropped
/// upstream connection resumes after the last forwarded frame (Last-Event-ID), with Polly's exponential backoff.
/// Every line read from the upstream is bounded (<see cref="BoundedSseReader"/>); rejected frames are logged at most once
/// per <see cref="RelayOptions.RejectionLogInterval"/> per stream and reason. An upstream that does not speak the
/// protocol (a <c>/streams</c> that is not a stream list) is fatal: <see cref="Failure"/> says why and the relay stops.
/// </summary>
internal sealed partial class UpstreamFollower(
    RelayOptions options, StreamHub hub, RelayCounters counters, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<UpstreamFollower> logger) : BackgroundService
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly Dictionary<string, Task> _following = new(StringComparer.Ordinal);
    private readonly KeyedRefusalLog _rejections = new(time, options.RejectionLogInterval);

    /// <summary>The upstream's /identity, served as it is (consumers verify its signature themselves).</summary>
    public IdentityResponse? Identity { get; private set; }

    /// <summary>Why the relay gave up (null while it runs): the process exits non-zero with it, so systemd restarts it.</summary>
    public string? Failure { get; private set; }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = Backoff(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await retry.ExecuteAsync(async ct => await DiscoverAsync(ct).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);

                // Until the upstream can tell its identity and its streams (a relay upstream learns both from its own
                // upstream, one after the other), ask again soon; then every options.Rediscover for new streams.
                bool incomplete = Identity is null || _following.Count == 0;
                await Task.Delay(incomplete ? TimeSpan.FromSeconds(1) : options.Rediscover, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // anything else is fatal: recorded for the exit code, and the relay stops
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Failure = $"upstream {options.Upstream}: {ex.Message}";
            LogFatal(logger, Failure);
            lifetime.StopApplication();
        }

        await Task.WhenAll(_following.Values).ConfigureAwait(false);
    }

    private async Task<bool> DiscoverAsync(CancellationToken cancellationToken)
    {
        await FetchIdentityAsync(cancellationToken).ConfigureAwait(false);

        var streams = await ReadStreamsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var info in streams.Where(s => !_following.ContainsKey(s.Id)))
        {
            var interval = Duration.TryParse(info.Interval, out var parsed) ? parsed : TimeSpan.Zero;
            var local = hub.Register(new StreamDescriptor(info.Id, info.Type, [.. info.Quantities.Select(q => new Quantity(q.Name, q.Unit))], interval));
            _following[info.Id] = FollowAsync(local, cancellationToken);
            LogFollowing(logger, info.Id, options.Upstream);
        }

        return true;
    }

    /// <summary>The upstream's stream list; one that is not a list of streams is a protocol error, not worth retrying.</summary>
    private async Task<StreamInfo[]> ReadStreamsAsync(CancellationToken cancellationToken)
    {
        var url = new Uri(options.Upstream, "/streams");
        StreamInfo[]? streams;
        try
        {
            streams = await _http.GetFromJsonAsync(url, AgentJsonContext.Default.StreamInfoArray, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{url} is not a stream list: {ex.Message}", ex);
        }

        if (streams is null || streams.Any(s => string.IsNullOrEmpty(s?.Id) || s.Type is null || s.Quantities is null || s.Quantities.Any(q => q?.Name is null)))
        {
            throw new InvalidDataException($"{url} is not a stream list: an entry without id, type or quantities");
        }

        return streams;
    }

    /// <summary>Best effort: the streams are followed whether or not the upstream can tell its identity yet.</summary>
    private async Task FetchIdentityAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(options.Upstream, "/identity"), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return;
        }

        IdentityResponse? identity;
        try
        {
            identity = await response.Content.ReadFromJsonAsync(AgentJsonContext.Default.IdentityResponse, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{response.RequestMessage?.RequestUri} is not an identity: {ex.Message}", ex);
        }

        if (identity is not null && string.Equals(identity.Address, options.Device, StringComparison.OrdinalIgnoreCase))
        {
            Identity = identity;
        }
    }

    private async Task FollowAsync(HubStream local, CancellationToken cancellationToken)
    {
        var verifier = new FrameVerifier(options.Device, local.Id);
        var retry = Backoff(cancellationToken);
        try
        {
            await retry.ExecuteAsync(async ct => await FollowOnceAsync(local, verifier, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One upstream connection; returns false when it ended, so the pipeline reconnects.</summary>
    private async Task<bool> FollowOnceAsync(HubStream local, FrameVerifier verifier, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Upstream, $"/streams/{local.Id}/events"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (local.Latest is { } latest)
        {
            request.Headers.Add("Last-Event-ID", latest.Position.ToString());
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        counters.Connected = true;
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new BoundedSseReader(body);
        long oversized = 0;
        try
        {
            await foreach (var item in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                oversized = CountOversized(local.Id, reader, oversized);
                if (item.EventType == "frame")
                {
                    Relay(local, verifier, item);
                }
            }
        }
        finally
        {
            CountOversized(local.Id, reader, oversized);
            LogHeldBack();
        }

        counters.Connected = false;
        return false;
    }

    private void Relay(HubStream local, FrameVerifier verifier, UpstreamEvent item)
    {
        byte[] json = Encoding.UTF8.GetBytes(item.Data);
        var verdict = verifier.Verify(json);
        if (verdict.Accepted)
        {
            if (local.Forward(FrameEncoder.Decode(local.Id, verdict.Position, time.GetUtcNow(), json, time.GetTimestamp())))
            {
                counters.CountForwarded();
            }

            return;
        }

        if (verdict.IsReplay)
        {
            counters.CountDuplicate();
            return;
        }

        counters.CountRejected(verdict.Reason!);
        if (_rejections.ShouldLog(local.Id + " " + verdict.Kind, out long suppressed))
        {
            LogRejected(logger, local.Id, item.EventId ?? "(no id)", verdict.Reason!, suppressed);
        }
    }

    /// <summary>Counts the lines the reader skipped since <paramref name="seen"/>; returns the new total.</summary>
    private long CountOversized(string stream, BoundedSseReader reader, long seen)
    {
        long now = reader.OversizedLines;
        if (now > seen)
        {
            counters.CountOversized(now - seen);
            if (_rejections.ShouldLog(stream + " oversized", out long suppressed))
            {
                LogOversized(logger, stream, reader.MaxLineLength, suppressed);
            }
        }

        return now;
    }

    /// <summary>When a connection ends, the rejections no line has counted yet get one line per stream and reason.</summary>
    private void LogHeldBack()
    {
        foreach (var (key, count) in _rejections.TakeSuppressed())
        {
            LogHeldBack(logger, count, key);
        }
    }

    private ResiliencePipeline<bool> Backoff(CancellationToken cancellationToken) => RetryForever.Pipeline<bool>(
        TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(30),
        shouldHandle: new PredicateBuilder<bool>().Handle<HttpRequestException>().Handle<IOException>().HandleResult(r => r is false),
        onRetry: args =>
        {
            counters.Connected = false;
            counters.CountReconnect();
            if (!cancellationToken.IsCancellationRequested)
            {
                LogReconnecting(logger, options.Upstream, args.Outcome.Exception?.Message ?? "stream ended", args.RetryDelay.TotalSeconds);
            }

            return ValueTask.CompletedTask;
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "relay: following stream {Stream} of {Upstream}")]
    private static partial void LogFollowing(ILogger logger, string stream, Uri upstream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "relay: dropped frame {Id} of stream {Stream}: {Reason} ({Suppressed} more for the same reason since the last line)")]
    private static partial void LogRejected(ILogger logger, string stream, string id, string reason, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "relay: skipped a line of stream {Stream} longer than {Max} bytes, not buffered ({Suppressed} more since the last line)")]
    private static partial void LogOversized(ILogger logger, string stream, int max, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "relay: {Count} more dropped without a line of their own ({Key})")]
    private static partial void LogHeldBack(ILogger logger, long count, string key);

    [LoggerMessage(Level = LogLevel.Critical, Message = "relay: giving up: {Failure}")]
    private static partial void LogFatal(ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "relay: upstream {Upstream}: {Reason}; reconnecting in {Seconds:F1} s")]
    private static partial void LogReconnecting(ILogger logger, Uri upstream, string reason, double seconds);
}
