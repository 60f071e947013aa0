using System.Net;
using System.Net.Sockets;

namespace Diode.Edge.Agent.Fleet.Status;

/// <summary>
/// Asks every listed device, at most <see cref="Concurrency"/> at once and each within <see cref="Timeout"/>, for its
/// signed <c>/identity</c>, its signed <c>/deployments/status</c> and its <c>/health</c>, every answer read with a size
/// bound, and makes one row per device that says what was proven and what was not (<see cref="FleetAnswerReader"/>). Never throws for a device: an
/// unreachable or unverifiable one says so in its row.
/// </summary>
internal sealed class FleetStatusCollector : IDisposable
{
    public const int IdentityLimit = 16 * 1024;
    public const int StatusLimit = 16 * 1024;
    public const int HealthLimit = 256 * 1024;

    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public FleetStatusCollector(int concurrency, TimeSpan timeout, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        Concurrency = concurrency;
        Timeout = timeout;
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = timeout,
            MaxResponseHeadersLength = 16, // KB
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan, // each device has its own deadline
        };
    }

    public int Concurrency { get; }

    public TimeSpan Timeout { get; }

    public void Dispose() => _http.Dispose();

    public async Task<FleetStatusReport> CollectAsync(IReadOnlyList<FleetDeviceTarget> targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        long started = _time.GetTimestamp();
        var rows = new FleetDeviceRow[targets.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, targets.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (index, ct) => rows[index] = await CollectOneAsync(targets[index], ct).ConfigureAwait(false)).ConfigureAwait(false);
        return FleetStatusReport.Of(rows, _time.GetUtcNow(), _time.GetElapsedTime(started));
    }

    /// <summary>One device's row, within <see cref="Timeout"/>.</summary>
    public async Task<FleetDeviceRow> CollectOneAsync(FleetDeviceTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        long started = _time.GetTimestamp();
        using var deadline = new CancellationTokenSource(Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var row = new FleetRowBuilder(target);
        var ct = linked.Token;

        // The identity first: without a proven device address nothing else can be checked.
        var identityTask = FetchAsync(target, "identity", IdentityLimit, ct, cancellationToken);
        var statusTask = FetchAsync(target, "deployments/status", StatusLimit, ct, cancellationToken);
        var healthTask = FetchAsync(target, "health", HealthLimit, ct, cancellationToken);
        var identity = await identityTask.ConfigureAwait(false);
        if (identity.Problem is not null || identity.Status != HttpStatusCode.OK)
        {
            // An answer refused (too long) is not a silent device: something answered that cannot be what it says.
            row.State = identity.Refused ? FleetRowStates.Unverified : FleetRowStates.Unreachable;
            row.Problems.Add(identity.Problem ?? $"identity: HTTP {(int)identity.Status}");
            await linked.CancelAsync().ConfigureAwait(false); // nothing else of it can be checked
            await Task.WhenAll(statusTask, healthTask).ConfigureAwait(false);
            return row.Build(_time.GetElapsedTime(started), _time.GetUtcNow());
        }
        else
        {
            string? device = FleetAnswerReader.ReadIdentity(identity.Body!, target.ExpectedAddress, row);
            if (device is null)
            {
                row.State = FleetRowStates.Unverified;
            }
            else
            {
                row.Address = device;
                FleetAnswerReader.ReadStatus(await statusTask.ConfigureAwait(false), device, row);
            }
        }

        await statusTask.ConfigureAwait(false);

        FleetAnswerReader.ReadHealth(await healthTask.ConfigureAwait(false), row);
        return row.Build(_time.GetElapsedTime(started), _time.GetUtcNow());
    }

    /// <summary>One GET; its problem instead of an exception, unless <paramref name="stopping"/> (the whole poll) is cancelled.</summary>
    private async Task<FleetAnswer> FetchAsync(FleetDeviceTarget target, string path, int limit, CancellationToken cancellationToken, CancellationToken stopping)
    {
        var url = new Uri(target.Url.AbsoluteUri.TrimEnd('/') + "/" + path);
        try
        {
            var (status, body) = await BoundedHttpGet.GetAsync(_http, url, limit, cancellationToken).ConfigureAwait(false);
            return new FleetAnswer(status, body, null, false);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return new FleetAnswer(0, null, $"{path}: no answer within {Configuration.Duration.Format(Timeout)}", false);
        }
        catch (HttpRequestException ex)
        {
            return new FleetAnswer(0, null, $"{path}: {Reason(ex)}", false);
        }
        catch (FleetFetchException ex)
        {
            return new FleetAnswer(0, null, $"{path}: {ex.Message}", true);
        }
        catch (IOException ex)
        {
            return new FleetAnswer(0, null, $"{path}: {ex.Message}", false);
        }
    }

    private static string Reason(HttpRequestException ex) =>
        ex.InnerException is SocketException socket ? socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
            SocketError.TimedOut => "connection timed out",
            _ => socket.Message,
        } : ex.Message;
}
