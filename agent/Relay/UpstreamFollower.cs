using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Http;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Agent.Verification;
using Diode.Edge.Sensors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Diode.Edge.Agent.Relay;

/// <summary>
/// Follows every stream of the upstream (an agent or another relay) with one SSE subscription each, verifies every
/// frame against the device address, and forwards only genuine, newer frames into the local hub, unchanged. A dropped
/// upstream connection resumes after the last forwarded frame (Last-Event-ID), with Polly's exponential backoff.
/// </summary>
public sealed partial class UpstreamFollower(RelayOptions options, StreamHub hub, RelayCounters counters, ILogger<UpstreamFollower> logger) : BackgroundService
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly Dictionary<string, Task> _following = new(StringComparer.Ordinal);

    /// <summary>The upstream's /identity, served as it is (consumers verify its signature themselves).</summary>
    public IdentityResponse? Identity { get; private set; }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = Backoff<bool>(stoppingToken);
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

        await Task.WhenAll(_following.Values).ConfigureAwait(false);
    }

    private async Task<bool> DiscoverAsync(CancellationToken cancellationToken)
    {
        await FetchIdentityAsync(cancellationToken).ConfigureAwait(false);

        var streams = await _http.GetFromJsonAsync(new Uri(options.Upstream, "/streams"), AgentJsonContext.Default.StreamInfoArray, cancellationToken).ConfigureAwait(false) ?? [];
        foreach (var info in streams.Where(s => !_following.ContainsKey(s.Id)))
        {
            var interval = Duration.TryParse(info.Interval, out var parsed) ? parsed : TimeSpan.Zero;
            var local = hub.Register(new StreamDescriptor(info.Id, info.Type, [.. info.Quantities.Select(q => new Quantity(q.Name, q.Unit))], interval));
            _following[info.Id] = FollowAsync(local, cancellationToken);
            LogFollowing(logger, info.Id, options.Upstream);
        }

        return true;
    }

    /// <summary>Best effort: the streams are followed whether or not the upstream can tell its identity yet.</summary>
    private async Task FetchIdentityAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(options.Upstream, "/identity"), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return;
        }

        var identity = await response.Content.ReadFromJsonAsync(AgentJsonContext.Default.IdentityResponse, cancellationToken).ConfigureAwait(false);
        if (identity is not null && string.Equals(identity.Address, options.Device, StringComparison.OrdinalIgnoreCase))
        {
            Identity = identity;
        }
    }

    private async Task FollowAsync(HubStream local, CancellationToken cancellationToken)
    {
        var verifier = new FrameVerifier(options.Device);
        var retry = Backoff<bool>(cancellationToken);
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
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item.EventType != "frame")
            {
                continue;
            }

            byte[] json = Encoding.UTF8.GetBytes(item.Data);
            var verdict = verifier.Verify(json);
            if (!verdict.Accepted)
            {
                if (verdict.Reason!.StartsWith("replayed", StringComparison.Ordinal))
                {
                    counters.CountDuplicate();
                }
                else
                {
                    counters.CountRejected(verdict.Reason);
                    LogRejected(logger, local.Id, item.EventId ?? "(no id)", verdict.Reason);
                }

                continue;
            }

            if (local.Forward(FrameEncoder.Decode(local.Id, verdict.Position, DateTimeOffset.UtcNow, json, System.Diagnostics.Stopwatch.GetTimestamp())))
            {
                counters.CountForwarded();
            }
        }

        counters.Connected = false;
        return false;
    }

    private ResiliencePipeline<T> Backoff<T>(CancellationToken cancellationToken) => new ResiliencePipelineBuilder<T>()
        .AddRetry(new RetryStrategyOptions<T>
        {
            ShouldHandle = new PredicateBuilder<T>().Handle<HttpRequestException>().Handle<IOException>().Handle<JsonException>().HandleResult(r => r is false),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromSeconds(1),
            MaxDelay = TimeSpan.FromSeconds(30),
            OnRetry = args =>
            {
                counters.Connected = false;
                counters.CountReconnect();
                if (!cancellationToken.IsCancellationRequested)
                {
                    LogReconnecting(logger, options.Upstream, args.Outcome.Exception?.Message ?? "stream ended", args.RetryDelay.TotalSeconds);
                }

                return ValueTask.CompletedTask;
            },
        })
        .Build();

    [LoggerMessage(Level = LogLevel.Information, Message = "relay: following stream {Stream} of {Upstream}")]
    private static partial void LogFollowing(ILogger logger, string stream, Uri upstream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "relay: dropped frame {Id} of stream {Stream}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string stream, string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "relay: upstream {Upstream}: {Reason}; reconnecting in {Seconds:F1} s")]
    private static partial void LogReconnecting(ILogger logger, Uri upstream, string reason, double seconds);
}
