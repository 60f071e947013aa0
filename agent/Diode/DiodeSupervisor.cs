using System.Globalization;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Diode.Api;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Processes;
using Diode.Edge.Watchdog;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Diode.Edge.Agent.Resilience;

namespace Diode.Edge.Agent.Diode;

/// <summary>
/// Runs the real Diode client (<c>diode … publish …</c>) as a child in its own process group and makes it dependable
/// (docs/diode-client.md). The loop: locate the binary, ask its version, set its fleet and (when shared) its key, then
/// run <c>publish</c>; while it runs, its lines (<see cref="DiodeRunObserver"/>) and its config API decide whether the
/// device is still reachable (<see cref="DiodeLivenessPolicy"/>); it is restarted with Polly's exponential backoff and
/// jitter only when it is not, counted by cause, with <c>-bqdowngrade</c> after
/// <c>diode.blockQuickDowngradeAfter</c> starts that never validated. It is stopped the way it understands: SIGINT
/// (it prints <c>1/4 … 4/4</c>), then SIGKILL to its group after <c>diode.stopGrace</c>.
/// </summary>
internal sealed partial class DiodeSupervisor : BackgroundService
{
    public const string InstallHint = DiodeBinaryLocator.InstallHint;

    private readonly DiodeOptions _options;
    private readonly DeviceIdentity _identity;
    private readonly bool _shareKey;
    private readonly HealthGate _gate;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IServer _server;
    private readonly DiodeConfigApi _api;
    private readonly Lock _sync = new();
    private readonly Queue<TimeSpan> _restartDelays = new(RestartDelaysKept);
    private readonly Dictionary<string, long> _restartsBy = new(StringComparer.Ordinal);
    private DiodeStatus _status;
    private DiodeRunObserver? _run;
    private DiodeApiState _apiState = DiodeApiState.Unknown;
    private int _consumerPort;
    private int _startsWithoutValidation;
    private long _truncatedBefore;
    private bool _fleetSet;
    private Version? _version;

    internal DiodeSupervisor(AgentOptions options, DeviceIdentity identity, DiodeConfigApi api, HealthGate gate, TimeProvider time, ILogger<DiodeSupervisor> logger, IHostApplicationLifetime lifetime, IServer server)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Diode;
        _identity = identity;
        _shareKey = options.Identity.ShareWithDiode;
        _consumerPort = _options.ConsumerPort;
        _api = api;
        _lifetime = lifetime;
        _server = server;
        _gate = gate;
        _time = time;
        _logger = logger;
        string? off = _options.WhyOff();
        _status = new DiodeStatus(off is null ? DiodeState.Starting : DiodeState.Disabled, off ?? "starting", null, null, null, null, null, null, 0, null, null, null);
    }

    public DiodeStatus Status
    {
        get
        {
            lock (_sync)
            {
                return _status;
            }
        }
    }

    /// <summary>
    /// How many of the backoff's last delays are remembered: a client that crashes for months restarts hundreds of
    /// thousands of times, and a list of them all grew for the agent's life (8 bytes a restart, in one array).
    /// </summary>
    internal const int RestartDelaysKept = 128;

    /// <summary>The last <see cref="RestartDelaysKept"/> delays the backoff chose, oldest first, for tests.</summary>
    public IReadOnlyList<TimeSpan> RestartDelays
    {
        get
        {
            lock (_sync)
            {
                return [.. _restartDelays];
            }
        }
    }

    /// <summary>The database the client uses (<c>diode.dbPath</c>; with a shared key and none configured, one beside the device key).</summary>
    internal string? DbPath => _options.DbPath ?? (_shareKey ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(_identity.KeyPath)) ?? ".", "diode", "private.db") : null);

    /// <summary>The network forwarded a consumer that the client vouched for: the route to the device works.</summary>
    internal void ObserveConsumer()
    {
        lock (_sync)
        {
            _run?.ObserveReachable(_time.GetUtcNow());
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.WhyOff() is { } off)
        {
            LogOff(_logger, off);
            return;
        }

        // Not the agent's liveness: it stops beating when the client was offline longer than diode.unhealthyWhenOfflineFor,
        // a condition outside the agent (a dead uplink), which the reset-loop guard may suspend after repeated resets. A
        // thread pool too stuck to beat it stops the host heartbeat (10 s) long before this one (30 s).
        var heartbeat = _gate.Register("diode", TimeSpan.FromSeconds(30), agentLiveness: false);

        // Publish only once the agent's ports listen (diode.consumerPort may be 0: publish the port really bound).
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        _consumerPort = ConsumerPortBound() ?? _consumerPort;
        var beating = BeatAsync(heartbeat, stoppingToken);
        var restart = RetryForever.Pipeline<DiodeRunOutcome>(
            _options.RestartDelay,
            _options.RestartCeiling,
            shouldHandle: args => ValueTask.FromResult(args.Outcome.Result is { Stable: false, End: not DiodeRunEnd.Stopping }),
            onRetry: args =>
            {
                Restarted(args.Outcome.Result!, args.RetryDelay);
                return ValueTask.CompletedTask;
            },
            delayGenerator: args => ValueTask.FromResult<TimeSpan?>(args.Outcome.Result?.End == DiodeRunEnd.Misconfigured ? MisconfiguredRetry : null));

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                string? binary = DiodeBinaryLocator.Resolve(_options.Path);
                if (binary is null)
                {
                    string where = DiodeBinaryLocator.Describe(_options.Path);
                    if (Update(s => s with { State = DiodeState.NotFound, Detail = $"diode client not found at {where}; install it with: {InstallHint}", FailingSince = s.FailingSince ?? _time.GetUtcNow() }))
                    {
                        LogNotFound(_logger, where, InstallHint);
                    }

                    await Task.Delay(_options.RestartCeiling, _time, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                await PrepareAsync(binary, stoppingToken).ConfigureAwait(false);
                var outcome = await restart.ExecuteAsync(ct => new ValueTask<DiodeRunOutcome>(RunOnceAsync(binary, ct)), stoppingToken).ConfigureAwait(false);
                if (outcome.End == DiodeRunEnd.Stopping)
                {
                    break;
                }

                // A stable run ended: the backoff starts again from its first delay.
                Restarted(outcome, _options.RestartDelay);
                await Task.Delay(_options.RestartDelay, _time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        Update(s => s with { State = DiodeState.Stopped, Detail = "stopped", Pid = null });
        await beating.ConfigureAwait(false);
    }

    /// <summary>A client that refused its command line is tried again this seldom: the same command line fails the same way.</summary>
    internal static readonly TimeSpan MisconfiguredRetry = TimeSpan.FromMinutes(10);

    internal void Restarted(DiodeRunOutcome outcome, TimeSpan delay)
    {
        string cause = outcome.End switch
        {
            DiodeRunEnd.NotValidated => "notValidated",
            _ => outcome.End.ToString().ToLowerInvariant(),
        };
        lock (_sync)
        {
            if (_restartDelays.Count == RestartDelaysKept)
            {
                _restartDelays.Dequeue();
            }

            _restartDelays.Enqueue(delay);
            _restartsBy[cause] = _restartsBy.GetValueOrDefault(cause) + 1;
            _status = _status with { Restarts = _status.Restarts + 1, LastRestartReason = outcome.Reason, RestartsBy = new Dictionary<string, long>(_restartsBy) };
        }

        if (outcome.End == DiodeRunEnd.Misconfigured)
        {
            LogMisconfigured(_logger, outcome.Reason, Duration.Format(delay));
        }
        else
        {
            LogRestarting(_logger, outcome.Reason, delay.TotalSeconds);
        }
    }

    /// <summary>Before a start: the client's version (what it supports), its fleet, and the shared key.</summary>
    private async Task PrepareAsync(string binary, CancellationToken cancellationToken)
    {
        var (code, output) = await BoundedCommand.RunAsync(binary, DiodeCommandLine.Version(_options, DbPath), TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        string? version = DiodeLogParser.FindVersion(output);
        _version = DiodeCommandLine.ParseVersion(version);
        Update(s => s with { Binary = binary, Version = version ?? s.Version });
        if (version is null)
        {
            LogNoVersion(_logger, binary, code, Tail(output));
        }

        if (!_fleetSet && DiodeOptions.IsRealFleet(_options.Fleet))
        {
            (code, output) = await BoundedCommand.RunAsync(binary, DiodeCommandLine.SetFleet(_options, DbPath), TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            _fleetSet = code == 0;
            if (code != 0)
            {
                LogFleetFailed(_logger, _options.Fleet!, code, Tail(output));
            }
        }

        if (_shareKey && DbPath is { } db)
        {
            ShareKey(db);
        }
    }

    /// <summary>Writes the device key into the client's database as its identity, unless it is there already (the client is stopped now).</summary>
    private void ShareKey(string db)
    {
        try
        {
            byte[] pem = DiodeDatabase.PrivateKeyPem(_identity.Key.PrivateKeyBytes(), _identity.Key.UncompressedPublicKey());
            if (DiodeDatabase.Get(db, "private") is { } current && current.AsSpan().SequenceEqual(pem))
            {
                return;
            }

            DiodeDatabase.Put(db, "private", pem);
            LogKeyShared(_logger, db, _identity.Address);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            LogKeyShareFailed(_logger, db, ex.Message);
        }
    }

    private async Task<DiodeRunOutcome> RunOnceAsync(string binary, CancellationToken cancellationToken)
    {
        bool downgrade = _startsWithoutValidation >= _options.BlockQuickDowngradeAfter;
        var launch = new DiodeLaunch(_consumerPort, _api.Endpoint.ApiAddressArgument, _version is { } v && v >= DiodeCommandLine.FleetFlagSince, downgrade, DbPath);
        var args = DiodeCommandLine.Publish(_options, launch);
        var started = _time.GetUtcNow();
        var run = new DiodeRunObserver(started, PoolSize());
        ChildProcessGroup child;
        try
        {
            child = ChildProcessGroup.Start(binary, args, line => OnLine(run, line));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Update(s => s with { State = DiodeState.Crashed, Detail = $"cannot start {binary}: {ex.Message}", FailingSince = s.FailingSince ?? started });
            return new DiodeRunOutcome(DiodeRunEnd.Crashed, null, TimeSpan.Zero, false, $"cannot start {binary}: {ex.Message}");
        }

        await using (child.ConfigureAwait(false))
        {
            lock (_sync)
            {
                _run = run;
                _apiState = DiodeApiState.Unknown;
                _status = _status with
                {
                    State = DiodeState.Starting, Detail = "started " + binary, Binary = binary, Pid = child.Pid, StartedAt = started, FailingSince = _status.FailingSince ?? started,
                    BlockQuickDowngrades = _status.BlockQuickDowngrades + (downgrade ? 1 : 0), ValidatedAt = null, Mismatch = null,
                };
            }

            if (downgrade)
            {
                LogDowngrade(_logger, _startsWithoutValidation);
            }

            string commandLine = string.Join(' ', args);
            LogStarted(_logger, child.Pid, binary, commandLine);
            var (end, reason) = await WatchAsync(child, run, cancellationToken).ConfigureAwait(false);
            if (end is { } stop)
            {
                // Stopping or restarting: the client's own clean stop first.
                bool clean = await child.StopAsync(ProcessSignals.SigInt, _options.StopGrace, _time).ConfigureAwait(false);
                if (!clean)
                {
                    LogKilled(_logger, child.Pid, _options.StopGrace.TotalSeconds);
                }
                else if (run.StopStep < 4 && stop == DiodeRunEnd.Stopping)
                {
                    LogStopIncomplete(_logger, child.Pid, run.StopStep);
                }
            }

            int code = await child.Exited.ConfigureAwait(false);

            // Its last lines (the error it died of) before judging how it ended.
            await child.DrainAsync().ConfigureAwait(false);
            var uptime = _time.GetUtcNow() - started;
            lock (_sync)
            {
                _run = null;
                _truncatedBefore += child.TruncatedLines;
                _status = _status with { TruncatedLines = _truncatedBefore };
            }

            if (run.ValidatedAt is null && end is DiodeRunEnd.NotValidated)
            {
                _startsWithoutValidation++;
            }
            else if (run.ValidatedAt is not null)
            {
                _startsWithoutValidation = 0;
            }

            if (end == DiodeRunEnd.Stopping)
            {
                Update(s => s with { Pid = null, LastExitCode = code });
                return new DiodeRunOutcome(DiodeRunEnd.Stopping, code, uptime, false, "stopping");
            }

            if (end is { } why)
            {
                var state = why == DiodeRunEnd.Offline ? DiodeState.Offline : DiodeState.Disconnected;
                Update(s => s with { State = state, Detail = reason!, Pid = null, LastExitCode = code, FailingSince = s.FailingSince ?? _time.GetUtcNow() });
                return new DiodeRunOutcome(why, code, uptime, false, reason!);
            }

            // It exited by itself. Exit 0 before its version line: it refused the command line and printed its usage.
            if (code == 0 && run.Version is null)
            {
                string detail = $"the client exited 0 without starting after {uptime.TotalSeconds:F1} s: it refused its command line (a flag error prints the usage); check diode.extraArgs and the client version";
                Update(s => s with { State = DiodeState.Misconfigured, Detail = detail, Pid = null, LastExitCode = code, FailingSince = s.FailingSince ?? _time.GetUtcNow() });
                return new DiodeRunOutcome(DiodeRunEnd.Misconfigured, code, uptime, false, detail);
            }

            string exited = $"exited with code {code} after {uptime.TotalSeconds:F1} s" + (run.LastError is { } error ? $" ({error})" : string.Empty);
            Update(s => s with { State = DiodeState.Crashed, Detail = exited, Pid = null, LastExitCode = code, FailingSince = s.FailingSince ?? _time.GetUtcNow() });
            return new DiodeRunOutcome(DiodeRunEnd.Crashed, code, uptime, uptime >= _options.StableAfter, exited);
        }
    }

    /// <summary>Watches a running client until it exits (null), the agent stops, or the policy says the device is unreachable.</summary>
    private async Task<(DiodeRunEnd? End, string? Reason)> WatchAsync(ChildProcessGroup child, DiodeRunObserver run, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        var nextApiCall = _time.GetUtcNow() + TimeSpan.FromSeconds(1);
        try
        {
            while (!child.Exited.IsCompleted)
            {
                var tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
                if (await Task.WhenAny(child.Exited, tick).ConfigureAwait(false) == child.Exited)
                {
                    return (null, null);
                }

                await tick.ConfigureAwait(false);
                var now = _time.GetUtcNow();
                if (now >= nextApiCall)
                {
                    nextApiCall = now + _options.ProbeInterval;
                    await AskApiAsync(cancellationToken).ConfigureAwait(false);
                }

                (DiodeRunEnd End, string Reason)? decision;
                lock (_sync)
                {
                    decision = DiodeLivenessPolicy.Decide(run, _apiState, _options, now);
                    RefreshStatus(run, now);
                    _status = _status with { TruncatedLines = _truncatedBefore + child.TruncatedLines };
                }

                if (decision is { } d)
                {
                    LogUnreachable(_logger, child.Pid, d.Reason);
                    return (d.End, d.Reason);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (DiodeRunEnd.Stopping, "stopping");
        }

        return (null, null);
    }

    private async Task AskApiAsync(CancellationToken cancellationToken)
    {
        // A call that fails counts from when it was made (a hung client holds it until the time-out).
        var asked = _time.GetUtcNow();
        var config = await _api.GetConfigAsync(cancellationToken).ConfigureAwait(false);
        lock (_sync)
        {
            _apiState = config is null
                ? _apiState with { FailingSince = _apiState.FailingSince ?? asked }
                : new DiodeApiState(_time.GetUtcNow(), null, config.Client, config.Fleet, config.Version);
        }
    }

    private void OnLine(DiodeRunObserver run, string line)
    {
        int pid;
        var e = DiodeLogParser.Parse(line);
        var now = _time.GetUtcNow();
        bool validated;
        lock (_sync)
        {
            pid = _status.Pid ?? 0;
            bool wasValidated = run.ValidatedAt is not null;
            run.Apply(e, line, now);
            validated = !wasValidated && run.ValidatedAt is not null;
            RefreshStatus(run, now);
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            string plain = DiodeLogParser.StripAnsi(line);
            LogClientLine(_logger, pid, plain);
        }
        if (validated)
        {
            LogValidated(_logger, run.ValidatedBlock ?? "?", run.ClientAddress ?? "?", run.Fleet ?? "?");
        }
    }

    /// <summary>Status from the run's lines and the API (under the lock).</summary>
    private void RefreshStatus(DiodeRunObserver run, DateTimeOffset now)
    {
        if (!ReferenceEquals(run, _run))
        {
            return;
        }

        string? client = _apiState.Client ?? run.ClientAddress;
        string? fleet = _apiState.Fleet ?? run.Fleet;
        string? mismatch = Mismatch(_options.Fleet, fleet, _shareKey ? _identity.Address : null, client);

        var state = run.ValidatedAt is null
            ? (run.Version is null ? DiodeState.Starting : run.Offline ? DiodeState.Offline : DiodeState.Connecting)
            : run.AllRelaysDown(now) || run.PortNotPublishedAt is not null ? DiodeState.Disconnected
            : run.PublishedPorts.Count > 0 ? DiodeState.Published : DiodeState.Validated;
        string detail = state switch
        {
            DiodeState.Starting => _status.Detail,
            DiodeState.Connecting => "connecting to the Diode network",
            DiodeState.Offline => $"no Diode relay reachable ({run.Relays.Count} failed); the client retries",
            DiodeState.Disconnected when run.PortNotPublishedAt is not null => "the network says the port was not published (" + DiodeLogParser.StripAnsi(run.PortNotPublishedLine ?? string.Empty).Trim() + ")",
            DiodeState.Disconnected => $"all {run.PoolSize} relays lost or failing; the client reconnects",
            _ => mismatch ?? $"network validated at block {run.ValidatedBlock}" + (run.PublishedPorts.Count > 0 ? ", published " + string.Join(", ", run.PublishedPorts) : string.Empty),
        };
        string node = run.Relays.Where(r => r.State == RelayState.Up).Select(r => r.Server).FirstOrDefault() ?? _status.Node ?? string.Empty;
        _status = _status with
        {
            State = state,
            Detail = detail,
            Version = _apiState.Version ?? run.Version ?? _status.Version,
            ClientAddress = client ?? _status.ClientAddress,
            Fleet = fleet ?? _status.Fleet,
            Node = node.Length > 0 ? node : null,
            FailingSince = state is DiodeState.Validated or DiodeState.Published ? null : _status.FailingSince ?? now,
            RelaysConnected = run.RelaysUp(now),
            RelayPool = run.PoolSize,
            ValidatedAt = run.ValidatedAt,
            ValidatedBlock = run.ValidatedBlock,
            ReachableAt = run.ReachableAt,
            Api = _apiState.AnsweredAt is { } at ? "answering (" + at.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture) + ")" : _apiState.FailingSince is { } since ? "not answering since " + since.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "not asked yet",
            Mismatch = mismatch,
        };
    }

    /// <summary>
    /// Why the running client is not what the owner configured, or null: another fleet than <c>diode.fleet</c> (the
    /// device would admit another fleet's devices), or another address than the shared device key.
    /// </summary>
    internal static string? Mismatch(string? configuredFleet, string? reportedFleet, string? sharedAddress, string? reportedClient)
    {
        if (DiodeOptions.IsRealFleet(configuredFleet) && reportedFleet is not null && !string.Equals(reportedFleet, configuredFleet, StringComparison.OrdinalIgnoreCase))
        {
            return $"the client runs in fleet {reportedFleet}, not diode.fleet {configuredFleet}";
        }

        return sharedAddress is not null && reportedClient is not null && !string.Equals(reportedClient, sharedAddress, StringComparison.OrdinalIgnoreCase)
            ? $"the client's address {reportedClient} is not the device key's {sharedAddress} (identity.shareWithDiode)"
            : null;
    }

    /// <summary>The pool is five relays, fewer when <c>-diodeaddrs</c> in extraArgs names fewer hosts.</summary>
    private int PoolSize()
    {
        string? hosts = _options.ExtraArgs.Select(a => a.TrimStart('-')).Where(a => a.StartsWith("diodeaddrs=", StringComparison.Ordinal)).Select(a => a["diodeaddrs=".Length..]).LastOrDefault();
        return hosts is null ? DiodeRunObserver.DefaultPoolSize : Math.Clamp(hosts.Split(',', StringSplitOptions.RemoveEmptyEntries).Length, 1, DiodeRunObserver.DefaultPoolSize);
    }

    private int? ConsumerPortBound()
    {
        var addresses = _server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (string address in addresses)
        {
            var uri = new Uri(address);
            if (_options.ConsumerPort != 0 && uri.Port == _options.ConsumerPort)
            {
                return uri.Port;
            }
        }

        return addresses.Count > 1 && _options.ConsumerPort == 0 ? new Uri(addresses.Last()).Port : null;
    }

    private async Task BeatAsync(Heartbeat heartbeat, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), _time);
        try
        {
            do
            {
                var status = Status;
                bool offlineTooLong = _options.UnhealthyWhenOfflineFor is { } limit && status.FailingSince is { } since && _time.GetUtcNow() - since > limit;
                if (!offlineTooLong)
                {
                    heartbeat.Beat();
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Applies a change; true when the state changed.</summary>
    private bool Update(Func<DiodeStatus, DiodeStatus> change)
    {
        lock (_sync)
        {
            var before = _status.State;
            _status = change(_status);
            return _status.State != before;
        }
    }

    private static string Tail(string output)
    {
        string text = DiodeLogParser.StripAnsi(output).Trim();
        return text.Length > 400 ? "…" + text[^400..] : text;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "diode: client not started: {Reason}")]
    private static partial void LogOff(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "diode: started pid {Pid}: {Binary} {Arguments}")]
    private static partial void LogStarted(ILogger logger, int pid, string binary, string arguments);

    [LoggerMessage(Level = LogLevel.Debug, Message = "diode[{Pid}]: {Line}")]
    private static partial void LogClientLine(ILogger logger, int pid, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "diode: network validated (block {Block}), client {Client}, fleet {Fleet}")]
    private static partial void LogValidated(ILogger logger, string block, string client, string fleet);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diode: client {Reason}; restarting in {Seconds:F1} s")]
    private static partial void LogRestarting(ILogger logger, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "diode: configuration error: {Reason}; trying again in {Delay}")]
    private static partial void LogMisconfigured(ILogger logger, string reason, string delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diode: client pid {Pid}: {Reason}; restarting it")]
    private static partial void LogUnreachable(ILogger logger, int pid, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diode: client pid {Pid} did not stop within {Seconds} s of SIGINT; killed")]
    private static partial void LogKilled(ILogger logger, int pid, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diode: client pid {Pid} exited after SIGINT at stop step {Step}/4")]
    private static partial void LogStopIncomplete(ILogger logger, int pid, int step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diode: {Starts} starts in a row never validated the network (a stale BlockQuick window survives restarts); starting with -bqdowngrade")]
    private static partial void LogDowngrade(ILogger logger, int starts);

    [LoggerMessage(Level = LogLevel.Error, Message = "diode: client not found at {Where}; install it with: {Hint}")]
    private static partial void LogNotFound(ILogger logger, string where, string hint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diode: {Binary} printed no version (exit {Code}): {Output}")]
    private static partial void LogNoVersion(ILogger logger, string binary, int code, string output);

    [LoggerMessage(Level = LogLevel.Error, Message = "diode: could not set fleet {Fleet} (exit {Code}): {Output}")]
    private static partial void LogFleetFailed(ILogger logger, string fleet, int code, string output);

    [LoggerMessage(Level = LogLevel.Information, Message = "diode: the device key {Address} is now the Diode client's identity ({Db})")]
    private static partial void LogKeyShared(ILogger logger, string db, string address);

    [LoggerMessage(Level = LogLevel.Error, Message = "diode: could not write the device key into the client's database {Db}: {Reason}")]
    private static partial void LogKeyShareFailed(ILogger logger, string db, string reason);
}
