using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Diode.Api;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Watchdog;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Diode.Edge.Agent.Diode.DiodeSupervisorLog;

namespace Diode.Edge.Agent.Diode;

/// <summary>
/// Runs the real Diode client (<c>diode … publish …</c>) and makes it dependable (docs/diode-client.md). The loop, made
/// of one type per job: locate the binary (<see cref="DiodeBinaryLocator"/>), prepare it (<see cref="DiodeClientPreparation"/>:
/// version, fleet, shared key), run <c>publish</c> as a child in its own process group (<see cref="DiodeClientProcess"/>:
/// stopped with SIGINT, then SIGKILL after <c>diode.stopGrace</c>); while it runs, its lines map to its state
/// (<see cref="DiodeStatusMapper"/>) and they and its config API decide whether the device is still reachable
/// (<see cref="DiodeLivenessPolicy"/>); when not, it is restarted by <see cref="DiodeRestartPolicy"/> (backoff with
/// jitter, counted by cause, <c>-bqdowngrade</c> after starts that never validated).
/// </summary>
internal sealed class DiodeSupervisor : BackgroundService
{
    public const string InstallHint = DiodeBinaryLocator.InstallHint;

    private readonly DiodeOptions _options;
    private readonly HealthGate _gate;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IServer _server;
    private readonly DiodeConfigApi _api;
    private readonly DiodeClientPreparation _preparation;
    private readonly DiodeRestartPolicy _restarts;
    private readonly DiodeStatusBoard _board;
    private int _consumerPort;

    internal DiodeSupervisor(IOptions<DiodeOptions> diode, IOptions<IdentityOptions> identityOptions, DeviceIdentity identity, DiodeConfigApi api, HealthGate gate, TimeProvider time, ILogger<DiodeSupervisor> logger, IHostApplicationLifetime lifetime, IServer server)
    {
        ArgumentNullException.ThrowIfNull(diode);
        ArgumentNullException.ThrowIfNull(identityOptions);
        _options = diode.Value;
        bool shareKey = identityOptions.Value.ShareWithDiode;
        _consumerPort = _options.ConsumerPort;
        _api = api;
        _lifetime = lifetime;
        _server = server;
        _gate = gate;
        _time = time;
        _logger = logger;
        string? off = _options.WhyOff();
        _board = new DiodeStatusBoard(
            new DiodeStatus(off is null ? DiodeState.Starting : DiodeState.Disabled, off ?? "starting", null, null, null, null, null, null, 0, null, null, null),
            _options.Fleet,
            shareKey ? identity.Address : null);
        _preparation = new DiodeClientPreparation(_options, identity, shareKey, logger);
        _restarts = new DiodeRestartPolicy(_options, time, logger, (outcome, count) => _board.Update(s => s with { Restarts = count.Restarts, LastRestartReason = outcome.Reason, RestartsBy = count.By }));
    }

    public DiodeStatus Status => _board.Status;

    /// <summary>The last delays the backoff chose, oldest first, for tests.</summary>
    public IReadOnlyList<TimeSpan> RestartDelays => _restarts.RestartDelays;

    /// <summary>The database the client uses (<c>diode.dbPath</c>; with a shared key and none configured, one beside the device key).</summary>
    internal string? DbPath => _preparation.DbPath;

    /// <summary>The network forwarded a consumer that the client vouched for: the route to the device works.</summary>
    internal void ObserveConsumer() => _board.ObserveReachable(_time.GetUtcNow());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.WhyOff() is { } off)
        {
            LogOff(_logger, off);
            return;
        }

        var heartbeat = _gate.Register("diode", DiodeHeartbeat.Timeout, agentLiveness: false);

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

        _consumerPort = DiodeLaunch.BoundConsumerPort(_server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [], _options.ConsumerPort) ?? _consumerPort;
        var beating = DiodeHeartbeat.BeatAsync(heartbeat, () => Status, _options.UnhealthyWhenOfflineFor, _time, stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                string? binary = DiodeBinaryLocator.Resolve(_options.Path);
                if (binary is null)
                {
                    string where = DiodeBinaryLocator.Describe(_options.Path);
                    if (_board.Update(s => s with { State = DiodeState.NotFound, Detail = $"diode client not found at {where}; install it with: {InstallHint}", FailingSince = s.FailingSince ?? _time.GetUtcNow() }))
                    {
                        LogNotFound(_logger, where, InstallHint);
                    }

                    await Task.Delay(_options.RestartCeiling, _time, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                await _preparation.PrepareAsync(binary, version => _board.Update(s => s with { Binary = binary, Version = version ?? s.Version }), stoppingToken).ConfigureAwait(false);
                var outcome = await _restarts.RunAsync(ct => RunOnceAsync(binary, ct), stoppingToken).ConfigureAwait(false);
                if (outcome.End == DiodeRunEnd.Stopping)
                {
                    break;
                }

                // A stable run ended: the backoff starts again from its first delay.
                await _restarts.AfterStableRunAsync(outcome, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        _board.Update(s => s with { State = DiodeState.Stopped, Detail = "stopped", Pid = null });
        await beating.ConfigureAwait(false);
    }

    private async Task<DiodeRunOutcome> RunOnceAsync(string binary, CancellationToken cancellationToken)
    {
        bool downgrade = _restarts.DowngradeNextStart;
        var launch = new DiodeLaunch(_consumerPort, _api.Endpoint.ApiAddressArgument, _preparation.ClientVersion is { } v && v >= DiodeCommandLine.FleetFlagSince, downgrade, DbPath);
        var args = DiodeCommandLine.Publish(_options, launch);
        var started = _time.GetUtcNow();
        var run = new DiodeRunObserver(started, DiodeCommandLine.PoolSize(_options));
        DiodeClientProcess child;
        try
        {
            child = DiodeClientProcess.Start(binary, args, line => OnLine(run, line), _options.StopGrace, _time);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            _board.Update(s => s with { State = DiodeState.Crashed, Detail = $"cannot start {binary}: {ex.Message}", FailingSince = s.FailingSince ?? started });
            return new DiodeRunOutcome(DiodeRunEnd.Crashed, null, TimeSpan.Zero, false, $"cannot start {binary}: {ex.Message}");
        }

        await using (child.ConfigureAwait(false))
        {
            _board.Begin(run, binary, child.Pid, started, downgrade);

            if (downgrade)
            {
                LogDowngrade(_logger, _restarts.StartsWithoutValidation);
            }

            string commandLine = string.Join(' ', args);
            LogStarted(_logger, child.Pid, binary, commandLine);
            var (end, reason) = await WatchAsync(child, run, cancellationToken).ConfigureAwait(false);
            if (end is { } stop)
            {
                // Stopping or restarting: the client's own clean stop first.
                if (!await child.StopAsync().ConfigureAwait(false))
                {
                    LogKilled(_logger, child.Pid, _options.StopGrace.TotalSeconds);
                }
                else if (run.StopStep < 4 && stop == DiodeRunEnd.Stopping)
                {
                    LogStopIncomplete(_logger, child.Pid, run.StopStep);
                }
            }

            // Its last lines (the error it died of) before judging how it ended.
            int code = await child.ExitedAsync().ConfigureAwait(false);
            var outcome = DiodeRunOutcome.Of(end, reason, code, _time.GetUtcNow() - started, run, _options.StableAfter);
            _board.End(child.TruncatedLines);
            _restarts.RunEnded(run.ValidatedAt is not null, end);
            _board.Update(s => DiodeStatusMapper.Ended(s, outcome, _time.GetUtcNow()));
            return outcome;
        }
    }

    /// <summary>Watches a running client until it exits (null), the agent stops, or the policy says the device is unreachable.</summary>
    private async Task<(DiodeRunEnd? End, string? Reason)> WatchAsync(DiodeClientProcess child, DiodeRunObserver run, CancellationToken cancellationToken)
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

                if (_board.Tick(run, _options, now, child.TruncatedLines) is { } d)
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
        _board.Api(config, asked, _time.GetUtcNow());
    }

    private void OnLine(DiodeRunObserver run, string line)
    {
        var (pid, validated) = _board.Line(run, DiodeLogParser.Parse(line), line, _time.GetUtcNow());
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
}
