using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Http;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Fleet.Status;

/// <summary>
/// Asks every listed device, at most <see cref="Concurrency"/> at once and each within <see cref="Timeout"/>, for its
/// signed <c>/identity</c>, its signed <c>/deployments/status</c> and its <c>/health</c>, every answer read with a size
/// bound, and makes one row per device that says what was proven and what was not. Never throws for a device: an
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
        var row = new RowBuilder(target);
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
            string? device = VerifyIdentity(identity.Body!, target.ExpectedAddress, row);
            if (device is null)
            {
                row.State = FleetRowStates.Unverified;
            }
            else
            {
                row.Address = device;
                ReadStatus(await statusTask.ConfigureAwait(false), device, row);
            }
        }

        await statusTask.ConfigureAwait(false);

        ReadHealth(await healthTask.ConfigureAwait(false), row);
        return row.Build(_time.GetElapsedTime(started), _time.GetUtcNow());
    }

    /// <summary>One GET; its problem instead of an exception, unless <paramref name="stopping"/> (the whole poll) is cancelled.</summary>
    private async Task<Fetched> FetchAsync(FleetDeviceTarget target, string path, int limit, CancellationToken cancellationToken, CancellationToken stopping)
    {
        var url = new Uri(target.Url.AbsoluteUri.TrimEnd('/') + "/" + path);
        try
        {
            var (status, body) = await BoundedHttpGet.GetAsync(_http, url, limit, cancellationToken).ConfigureAwait(false);
            return new Fetched(status, body, null, false);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return new Fetched(0, null, $"{path}: no answer within {Configuration.Duration.Format(Timeout)}", false);
        }
        catch (HttpRequestException ex)
        {
            return new Fetched(0, null, $"{path}: {Reason(ex)}", false);
        }
        catch (FleetFetchException ex)
        {
            return new Fetched(0, null, $"{path}: {ex.Message}", true);
        }
        catch (IOException ex)
        {
            return new Fetched(0, null, $"{path}: {ex.Message}", false);
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

    /// <summary>The device address the identity statement proves (EIP-55), or null with the problem noted.</summary>
    private static string? VerifyIdentity(byte[] body, string? expected, RowBuilder row)
    {
        IdentityResponse? identity;
        try
        {
            identity = JsonSerializer.Deserialize(body, AgentJsonContext.Default.IdentityResponse);
        }
        catch (JsonException ex)
        {
            row.Problems.Add("identity: not JSON: " + ex.Message);
            return null;
        }

        if (identity?.Statement is null || identity.Sig is null)
        {
            row.Problems.Add("identity: no statement and signature");
            return null;
        }

        row.Identity = identity;
        string? device, client, fleet, agent;
        try
        {
            using var statement = JsonDocument.Parse(identity.Statement);
            var root = statement.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "kind") != "diode-edge/identity")
            {
                row.Problems.Add("identity: the statement is not a diode-edge identity");
                return null;
            }

            device = Text(root, "device");
            client = Text(root, "client");
            fleet = Text(root, "fleet");
            agent = Text(root, "agent");
        }
        catch (JsonException ex)
        {
            row.Problems.Add("identity: the statement is not JSON: " + ex.Message);
            return null;
        }

        if (!EthereumAddress.IsAddress(device))
        {
            row.Problems.Add("identity: the statement names no device address");
            return null;
        }

        string? signer = Eip191.Recover(Encoding.UTF8.GetBytes(identity.Statement), identity.Sig);
        if (signer is null)
        {
            row.Problems.Add("identity: the signature is not a valid signature");
            return null;
        }

        if (!Same(signer, device))
        {
            row.Problems.Add($"identity: the statement naming {device} is signed by {signer}");
            return null;
        }

        if (!Same(identity.Address, device))
        {
            row.Problems.Add($"identity: answers address {identity.Address} but its statement names {device}");
            return null;
        }

        if (expected is not null && !Same(expected, device) && !Same(expected, client))
        {
            row.Problems.Add($"identity: listed as {expected}, but the signed identity names device {device} and client {client ?? "(none)"}");
            return null;
        }

        // Only now is any of it the device's word.
        row.Fleet = fleet;
        row.Client = client;
        row.Version = agent is not null && agent.StartsWith("diode-edge/", StringComparison.Ordinal) ? agent["diode-edge/".Length..] : agent;
        return signer;
    }

    private static void ReadStatus(Fetched fetched, string device, RowBuilder row)
    {
        if (fetched.Problem is not null || fetched.Status != HttpStatusCode.OK)
        {
            row.Problems.Add(fetched.Problem ?? $"deployments/status: HTTP {(int)fetched.Status}");
            row.Demote(FleetRowStates.Incomplete);
            return;
        }

        SignedStatement? signed;
        try
        {
            signed = JsonSerializer.Deserialize(fetched.Body, AgentJsonContext.Default.SignedStatement);
        }
        catch (JsonException ex)
        {
            row.Problems.Add("deployments/status: not JSON: " + ex.Message);
            row.Demote(FleetRowStates.Unverified);
            return;
        }

        if (signed?.Statement is null || signed.Sig is null)
        {
            row.Problems.Add("deployments/status: no statement and signature");
            row.Demote(FleetRowStates.Unverified);
            return;
        }

        row.DeploymentStatus = signed;
        string? signer = Eip191.Recover(Encoding.UTF8.GetBytes(signed.Statement), signed.Sig);
        if (!Same(signer, device))
        {
            row.Problems.Add($"deployments/status: signed by {signer ?? "no valid signature"}, not by the device {device}");
            row.Demote(FleetRowStates.Unverified);
            return;
        }

        try
        {
            using var statement = JsonDocument.Parse(signed.Statement);
            var root = statement.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "kind") != "diode-edge/deployment-status" || !Same(Text(root, "device"), device))
            {
                row.Problems.Add("deployments/status: the statement is not this device's deployment status");
                row.Demote(FleetRowStates.Unverified);
                return;
            }

            row.Deployment = new FleetDeploymentView(
                Number(root, "appliedSeq"),
                Number(root, "seq"),
                Text(root, "state") ?? "?",
                Text(root, "reason"),
                Text(root, "at"),
                Text(root, "component"));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            row.Problems.Add("deployments/status: the statement does not read: " + ex.Message);
            row.Demote(FleetRowStates.Unverified);
        }
    }

    private static void ReadHealth(Fetched fetched, RowBuilder row)
    {
        // 503 is how /health says unhealthy: its body is still the report.
        if (fetched.Problem is not null || fetched.Status is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable))
        {
            if (row.State != FleetRowStates.Unreachable)
            {
                row.Problems.Add(fetched.Problem ?? $"health: HTTP {(int)fetched.Status}");
                row.Demote(FleetRowStates.Incomplete);
            }

            return;
        }

        try
        {
            using var health = JsonDocument.Parse(fetched.Body);
            var root = health.RootElement;
            row.Health = Text(root, "status");
            if (root.TryGetProperty("components", out var components) && components.ValueKind == JsonValueKind.Object)
            {
                foreach (var component in components.EnumerateObject())
                {
                    if (component.Value.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    if (component.Name == "watchdog" && component.Value.TryGetProperty("lastRebootByWatchdog", out var reset) && reset.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        row.WatchdogReset = reset.GetBoolean();
                    }

                    if (component.Name == "diode")
                    {
                        row.Diode = Text(component.Value, "state") ?? Text(component.Value, "status");
                    }

                    // Each sensor says when it last read (and so published a frame): the newest of them is the last frame.
                    if (Text(component.Value, "lastReadingAt") is { } text
                        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                        && (row.LastFrame is null || at > row.LastFrame))
                    {
                        row.LastFrame = at;
                    }
                }
            }
        }
        catch (JsonException ex)
        {
            row.Problems.Add("health: not JSON: " + ex.Message);
            row.Demote(FleetRowStates.Incomplete);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static ulong Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out ulong number) ? number : 0;

    private static bool Same(string? a, string? b) => a is not null && b is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>An answer, or the problem instead of one; <see cref="Refused"/> when one came but was refused (too long).</summary>
    private readonly record struct Fetched(HttpStatusCode Status, byte[]? Body, string? Problem, bool Refused);

    /// <summary>A row while it is being made.</summary>
    private sealed class RowBuilder(FleetDeviceTarget target)
    {
        public string State { get; set; } = FleetRowStates.Ok;

        public List<string> Problems { get; } = [];

        public string? Address { get; set; }

        public string? Version { get; set; }

        public string? Fleet { get; set; }

        public string? Client { get; set; }

        public FleetDeploymentView? Deployment { get; set; }

        public string? Health { get; set; }

        public DateTimeOffset? LastFrame { get; set; }

        public bool? WatchdogReset { get; set; }

        public string? Diode { get; set; }

        public IdentityResponse? Identity { get; set; }

        public SignedStatement? DeploymentStatus { get; set; }

        /// <summary>Moves the state towards the worse: ok, incomplete, unverified (unreachable stays).</summary>
        public void Demote(string state)
        {
            if (State == FleetRowStates.Ok || (State == FleetRowStates.Incomplete && state == FleetRowStates.Unverified))
            {
                State = state;
            }
        }

        public FleetDeviceRow Build(TimeSpan elapsed, DateTimeOffset now) => new(
            target.Given,
            target.Url.AbsoluteUri,
            target.ExpectedAddress,
            State,
            Problems,
            Address,
            Version,
            Fleet,
            Client,
            Deployment,
            Health,
            LastFrame is { } at ? Rfc3339.ToText(at) : null,
            LastFrame is { } last ? Math.Round(Math.Max(0, (now - last).TotalSeconds), 1) : null,
            WatchdogReset,
            Diode,
            Math.Round(elapsed.TotalMilliseconds, 1),
            Identity,
            DeploymentStatus);
    }
}
