using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// Fetches deployments from <c>fleet.sources</c> every <c>fleet.pullInterval</c> and offers each new one to
/// <see cref="DeploymentService"/>, as if it had been posted: a deployment spreads device to device (each serves the one
/// it runs at <c>/deployments/latest</c>) with no server. A response is read up to the size of a deployment and no
/// further; a document already seen from a source, or the one this device runs, is not offered again.
/// </summary>
internal sealed partial class DeploymentPuller(IOptions<FleetOptions> fleetOptions, DeploymentService service, TimeProvider time, ILogger<DeploymentPuller> logger) : BackgroundService
{
    private readonly FleetOptions _fleet = fleetOptions.Value;
    private readonly Dictionary<string, byte[]> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _problems = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_fleet.Enabled || _fleet.Sources.Count == 0)
        {
            return;
        }

        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(30),
            MaxResponseContentBufferSize = DeploymentDocument.MaxBytes,
        };
        using var timer = new PeriodicTimer(_fleet.PullInterval, time);
        do
        {
            foreach (string source in _fleet.Sources)
            {
                if (await FetchAsync(http, source, stoppingToken).ConfigureAwait(false) is not { } document)
                {
                    continue;
                }

                if ((_seen.TryGetValue(source, out byte[]? seen) && seen.AsSpan().SequenceEqual(document))
                    || (service.State.Applied() is { } applied && applied.AsSpan().SequenceEqual(document)))
                {
                    continue;
                }

                _seen[source] = document;
                if (service.Offer(document, "pull " + source).Accepted)
                {
                    service.Apply(); // in place, or the host stops and this with it

                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>The document at <paramref name="source"/>, or null (nothing there, or a problem logged once until it changes).</summary>
    private async Task<byte[]?> FetchAsync(HttpClient http, string source, CancellationToken cancellationToken)
    {
        string? problem;
        try
        {
            using var response = await http.GetAsync(source, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                _problems.Remove(source);
                return null; // a device that runs no deployment yet
            }

            if (response.IsSuccessStatusCode)
            {
                byte[] document = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                _problems.Remove(source);
                return document;
            }

            problem = $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException ex)
        {
            problem = ex.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            problem = "no answer within 30 s";
        }

        if (!_problems.TryGetValue(source, out string? logged) || logged != problem)
        {
            _problems[source] = problem;
            LogUnreachable(logger, source, problem);
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "deployments: cannot fetch {Source}: {Problem} (tried again every pull interval)")]
    private static partial void LogUnreachable(ILogger logger, string source, string problem);
}
