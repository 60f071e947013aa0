using System.Globalization;
using System.Text;
using Nethereum.Util;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>
/// rpc.ClientManager as the log shows it: a pool of up to 5 relay connections (targetClients) over the shuffled
/// -diodeaddrs, each one a client that dials, validates BlockQuick and then lives until its connection drops; a dropped
/// relay is replaced at once from the unused hosts, silently (only -debug prints "Adding relay#N" / "Added relay#N").
/// Connect failures warn once per host and kind (warnHostFailureOnce) and back the host off. Every client line carries
/// server=&lt;normalized host:port&gt; (Client.Log()). The scripted faults of DIODE_STANDIN_MODE act here.
/// </summary>
internal sealed class RelayPool : IDisposable
{
    private readonly object _gate = new();
    private readonly ZapLog _log;
    private readonly StandInEnv _env;
    private readonly IReadOnlyList<string> _hosts;
    private readonly int _retryTimes;
    private readonly bool _bqDowngrade;
    private readonly BlockquickState _blockquick;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _inUse = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTime> _retryAfter = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _hostFailures = new(StringComparer.Ordinal);
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private readonly List<Relay> _connected = [];
    private readonly TaskCompletionSource<Relay> _validated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _clientMapCount;
    private bool _droppedAll;

    public RelayPool(ZapLog log, StandInEnv env, IReadOnlyList<string> hosts, int retryTimes, bool bqDowngrade, BlockquickState blockquick)
    {
        _log = log;
        _env = env;
        _hosts = hosts;
        _retryTimes = retryTimes;
        _bqDowngrade = bqDowngrade;
        _blockquick = blockquick;
    }

    /// <summary>The first relay that validated the chain (ClientManager.GetNearestClient).</summary>
    public Task<Relay> Validated => _validated.Task;

    public bool AnyConnected
    {
        get
        {
            lock (_gate)
            {
                return _connected.Count > 0;
            }
        }
    }

    public Relay? AnyRelay()
    {
        lock (_gate)
        {
            return _connected.Count == 0 ? null : _connected[Random.Shared.Next(_connected.Count)];
        }
    }

    public void Start()
    {
        int target = Math.Min(5, _hosts.Count);
        for (int i = 0; i < target; i++)
        {
            _ = Task.Run(() => RunClientAsync(_stop.Token));
        }

        if (_env.Mode == "churn")
        {
            _ = Task.Run(() => ChurnAsync(_stop.Token));
        }
    }

    /// <summary>drop-all: every relay's connection ends with EOF, and no host can be reached any more.</summary>
    public void DropAll()
    {
        List<Relay> relays;
        lock (_gate)
        {
            _droppedAll = true;
            relays = [.. _connected];
        }

        foreach (var relay in relays)
        {
            Drop(relay);
        }
    }

    /// <summary>ClientManager.Stop: clients close without a line (client.closed is set before the socket closes).</summary>
    public void Stop() => _stop.Cancel();

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    /// <summary>normalizeHostPort: lower case, host:port, the host of a diode://0x…@host:port URL.</summary>
    public static string Normalize(string host)
    {
        string h = host.Trim().ToLowerInvariant();
        if (h.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(h, UriKind.Absolute, out var uri) && uri.Port > 0)
        {
            return uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        }

        return h;
    }

    private void Drop(Relay relay)
    {
        lock (_gate)
        {
            if (!_connected.Remove(relay))
            {
                return;
            }
        }

        _log.Info("Client connection closed unexpectedly: EOF", relay.Server);
        relay.Lost.Cancel();
    }

    private async Task ChurnAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(10, _env.ChurnMs)));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                Relay? victim = null;
                lock (_gate)
                {
                    // Never all at once: one relay at a time, and only while another one is up.
                    if (_connected.Count >= 2)
                    {
                        victim = _connected[Random.Shared.Next(_connected.Count)];
                    }
                }

                if (victim is not null)
                {
                    Drop(victim);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunClientAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                string host = await NextHostAsync(ct);
                try
                {
                    await RunOneClientAsync(host, ct);
                }
                finally
                {
                    lock (_gate)
                    {
                        _inUse.Remove(host);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunOneClientAsync(string host, CancellationToken ct)
    {
        string server = Normalize(host);
        int n;
        lock (_gate)
        {
            n = _clientMapCount;
        }

        _log.Debug($"Adding relay#{n} [] @ {host}");
        bool dropped;
        lock (_gate)
        {
            dropped = _droppedAll;
        }

        if (_env.Mode == "offline")
        {
            // connectWithRetries: a dial that times out (not a fast-fail error) is retried RetryTimes times.
            long attempt = 0;
            for (int i = 1; i <= _retryTimes; i++)
            {
                _log.Info($"Retry to connect ({i}/{_retryTimes}), waiting {GoDuration.Format(Backoff(attempt++, 5, 10))}", server);
                await Task.Delay(_env.RetryMs, ct);
            }

            await Task.Delay(_env.RetryMs, ct);
            WarnOnce(server, "connect", $"Client connect failed: failed to connect to host: {host}");
            RecordHostFailure(host);
            return;
        }

        if (dropped)
        {
            await Task.Delay(_env.RetryMs, ct);
            WarnOnce(server, "connect", $"Client connect failed: failed to connect to host {host}: dial tcp {server}: connect: connection refused");
            RecordHostFailure(host);
            return;
        }

        await Task.Delay(_env.ConnectDelayMs + Random.Shared.Next(0, Math.Max(1, _env.ConnectDelayMs / 2 + 1)), ct);
        if (!await EnsureBlockquickAsync(host, server, ct))
        {
            return;
        }

        var relay = new Relay(host, server, NodeId(host));
        lock (_gate)
        {
            if (_droppedAll)
            {
                return;
            }

            _clientMapCount++;
            _connected.Add(relay);
        }

        _log.Debug($"Added relay#{n} [{relay.NodeId}] @ {host}");
        _validated.TrySetResult(relay);
        if (_env.Mode == "elsewhere")
        {
            // The same identity connected from another machine: the relay keeps closing this connection (#298).
            _ = Task.Delay(Random.Shared.Next(Math.Max(1, _env.ChurnMs / 2), Math.Max(2, _env.ChurnMs * 3 / 2)), ct)
                .ContinueWith(_ => Drop(relay), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }

        using var both = CancellationTokenSource.CreateLinkedTokenSource(ct, relay.Lost.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, both.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Dropped: ClientManager refills the pool from the unused hosts after a moment.
            await Task.Delay(Math.Max(20, _env.ChurnMs / 3), ct);
        }
    }

    /// <summary>Client.initialize → ensureBlockquickWindow with the stale window from the DB.</summary>
    private async Task<bool> EnsureBlockquickAsync(string host, string server, CancellationToken ct)
    {
        if (!_blockquick.Stale)
        {
            return true;
        }

        if (_bqDowngrade)
        {
            // tryDowngradeBlockquick: after 5 failed validations the window is reset, then validation succeeds.
            await Task.Delay(_env.ConnectDelayMs, ct);
            lock (_gate)
            {
                if (_blockquick.Stale)
                {
                    _log.Warn("Reset blockquick window after 5 consecutive validation failures", server);
                    _log.Warn($"Reset blockquick window (downgrade triggered by {host})");
                    _blockquick.Reset();
                }
            }

            return true;
        }

        if (_env.AtLeast(1, 16, 6))
        {
            // Since v1.16.6 tryDowngradeBlockquick returns true without -bqdowngrade, so ensureBlockquickWindow
            // retries validateNetwork for ever: no line at all, never validated.
            await Task.Delay(Timeout.Infinite, ct);
            return false;
        }

        WarnOnce(server, "start", $"Client start failed: couldn't validate any new blocks {_blockquick.LastValid} < {_blockquick.Peak}");
        RecordHostFailure(host);
        return false;
    }

    private void WarnOnce(string server, string kind, string message)
    {
        bool first;
        lock (_gate)
        {
            first = _warned.Add(kind + "\0" + server);
        }

        if (first)
        {
            _log.Warn(message, server);
        }
        else
        {
            _log.Debug(message, server);
        }
    }

    private void RecordHostFailure(string host)
    {
        long attempt;
        lock (_gate)
        {
            attempt = _hostFailures.GetValueOrDefault(host);
            _hostFailures[host] = (int)attempt + 1;
        }

        var delay = Backoff(attempt, 5, 60);
        _log.Debug($"Relay connect backoff for {host}: retry in {GoDuration.Format(delay)}");
        lock (_gate)
        {
            // The real pause is 5-60 s; the stand-in waits a few DIODE_STANDIN_RETRY_MS instead.
            _retryAfter[host] = DateTime.UtcNow.AddMilliseconds(_env.RetryMs * Math.Min(attempt + 2, 6));
        }
    }

    private async Task<string> NextHostAsync(CancellationToken ct)
    {
        while (true)
        {
            DateTime wake = DateTime.MaxValue;
            lock (_gate)
            {
                foreach (string host in _hosts)
                {
                    if (_inUse.Contains(host))
                    {
                        continue;
                    }

                    var ready = _retryAfter.GetValueOrDefault(host, DateTime.MinValue);
                    if (ready <= DateTime.UtcNow)
                    {
                        _inUse.Add(host);
                        return host;
                    }

                    wake = ready < wake ? ready : wake;
                }
            }

            var wait = wake == DateTime.MaxValue ? TimeSpan.FromMilliseconds(_env.RetryMs) : wake - DateTime.UtcNow;
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), ct);
        }
    }

    /// <summary>rpc.Backoff.ForAttempt with Factor 2 and Jitter, in nanoseconds.</summary>
    private static long Backoff(long attempt, int minSeconds, int maxSeconds)
    {
        double min = minSeconds * 1e9, max = maxSeconds * 1e9;
        double d = min * Math.Pow(2, attempt);
        d = Random.Shared.NextDouble() * (d - min) + min;
        return (long)Math.Min(d, max);
    }

    private static string NodeId(string host)
    {
        int at = host.IndexOf('@', StringComparison.Ordinal);
        if (host.StartsWith("diode://", StringComparison.OrdinalIgnoreCase) && at > 8)
        {
            return host[8..at].ToLowerInvariant();
        }

        return Identity.Hex(Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(host))[12..]);
    }
}
