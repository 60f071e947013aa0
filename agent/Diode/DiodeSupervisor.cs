using System.Diagnostics;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Watchdog;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Diode.Edge.Agent.Diode;

/// <summary>
/// Runs the real Diode client (<c>diode … publish …</c>) as a child in its own process group and makes it dependable
/// (DESIGN.md §5): its output becomes structured logs and a state; it is restarted with Polly's exponential backoff
/// and jitter (reset after a stable run), also when it has not validated the chain for <c>diode.revalidateTimeout</c>
/// (it can hang after its node restarts); a missing binary is a state, not a restart storm; shutdown is SIGTERM to the
/// group, then SIGKILL after a grace, and no process is left behind.
/// </summary>
public sealed partial class DiodeSupervisor : BackgroundService
{
    public const string InstallHint = "curl -Ssf https://diode.io/install.sh | sh";

    private readonly DiodeOptions _options;
    private int _httpPort;
    private readonly HealthGate _gate;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _statusGate = new();
    private readonly List<TimeSpan> _restartDelays = [];
    private DiodeStatus _status;
    private DateTimeOffset _lastProgress;
    private bool _fleetSet;

    private readonly IHostApplicationLifetime _lifetime;
    private readonly IServer _server;

    public DiodeSupervisor(AgentOptions options, HealthGate gate, TimeProvider time, ILogger<DiodeSupervisor> logger, IHostApplicationLifetime lifetime, IServer server)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Diode;
        _httpPort = options.Http.Port;
        _lifetime = lifetime;
        _server = server;
        _gate = gate;
        _time = time;
        _logger = logger;
        _status = new DiodeStatus(_options.Enabled ? DiodeState.Starting : DiodeState.Disabled, _options.Enabled ? "starting" : "disabled in config", null, null, null, null, null, null, 0, null, null, null);
    }

    public DiodeStatus Status
    {
        get
        {
            lock (_statusGate)
            {
                return _status;
            }
        }
    }

    /// <summary>The delays the backoff chose, for tests and /health.</summary>
    public IReadOnlyList<TimeSpan> RestartDelays
    {
        get
        {
            lock (_statusGate)
            {
                return [.. _restartDelays];
            }
        }
    }

    /// <summary>Where the client is: diode.path as a path, else on PATH, else where the official installer puts it.</summary>
    public static string? Resolve(string configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        if (configured.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutable(configured) ? configured : null;
        }

        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries).Select(dir => Path.Combine(dir, configured))
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "opt", "diode", configured))
            .Append(Path.Combine("/home/pi/opt/diode", configured))
            .Append(Path.Combine("/opt/diode", configured));
        return candidates.FirstOrDefault(IsExecutable);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        var heartbeat = _gate.Register("diode", TimeSpan.FromSeconds(30));

        // Publish only once the agent's port listens, and publish the port it really listens on (http.port may be 0).
        try
        {
            await Task.Delay(Timeout.Infinite, CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _lifetime.ApplicationStarted).Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }

        if (_server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } address)
        {
            _httpPort = new Uri(address).Port;
        }

        var beating = BeatAsync(heartbeat, stoppingToken);
        var restart = new ResiliencePipelineBuilder<ChildExit>()
            .AddRetry(new RetryStrategyOptions<ChildExit>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Stable: false, Stopping: false }),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RestartDelay,
                MaxDelay = _options.RestartCeiling,
                OnRetry = args =>
                {
                    lock (_statusGate)
                    {
                        _restartDelays.Add(args.RetryDelay);
                        _status = _status with { Restarts = _status.Restarts + 1 };
                    }

                    LogRestarting(_logger, args.Outcome.Result?.Reason ?? "exited", args.RetryDelay.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                string? binary = Resolve(_options.Path);
                if (binary is null)
                {
                    string where = _options.Path.Contains('/', StringComparison.Ordinal) ? _options.Path : $"\"{_options.Path}\" on PATH, ~/opt/diode, /home/pi/opt/diode or /opt/diode";
                    if (Update(s => s with { State = DiodeState.NotFound, Detail = $"diode client not found at {where}; install it with: {InstallHint}", FailingSince = s.FailingSince ?? _time.GetUtcNow() }))
                    {
                        LogNotFound(_logger, where, InstallHint);
                    }

                    await Task.Delay(_options.RestartCeiling, _time, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                bool noDaemon = await SupportsNoDaemonAsync(binary, stoppingToken).ConfigureAwait(false);
                await SetFleetOnceAsync(binary, stoppingToken).ConfigureAwait(false);
                var args = DiodeCommandLine.Publish(_options, _httpPort, noDaemon);
                var exit = await restart.ExecuteAsync(ct => new ValueTask<ChildExit>(RunChildAsync(binary, args, ct)), stoppingToken).ConfigureAwait(false);
                if (exit.Stopping)
                {
                    break;
                }

                // A stable run ended: the backoff starts again from its first delay.
                await Task.Delay(_options.RestartDelay, _time, stoppingToken).ConfigureAwait(false);
                lock (_statusGate)
                {
                    _status = _status with { Restarts = _status.Restarts + 1 };
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        Update(s => s with { State = DiodeState.Stopped, Detail = "stopped", Pid = null });
        await beating.ConfigureAwait(false);
    }

    private async Task<ChildExit> RunChildAsync(string binary, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        // setsid(1) gives the client a session and process group of its own (it execs in place, so the pid is the client's).
        var psi = new ProcessStartInfo(File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (psi.FileName != binary)
        {
            psi.ArgumentList.Add(binary);
        }

        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        var started = _time.GetUtcNow();
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Update(s => s with { State = DiodeState.Crashed, Detail = $"cannot start {binary}: {ex.Message}", FailingSince = s.FailingSince ?? started });
            return new ChildExit(null, TimeSpan.Zero, false, false, ex.Message);
        }

        _lastProgress = started;
        Update(s => s with { State = DiodeState.Starting, Detail = "started " + binary, Binary = binary, Pid = process.Id, StartedAt = started, FailingSince = s.FailingSince ?? started });
        string commandLine = string.Join(' ', args);
        LogStarted(_logger, process.Id, binary, commandLine);
        var stdout = ReadLinesAsync(process.StandardOutput, process.Id);
        var stderr = ReadLinesAsync(process.StandardError, process.Id);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string reason = "exited";
        var exited = process.WaitForExitAsync(CancellationToken.None);
        while (!exited.IsCompleted)
        {
            var tick = Task.Delay(TimeSpan.FromSeconds(1), _time, CancellationToken.None);
            await Task.WhenAny(exited, tick, Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default)).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                await StopChildAsync(process).ConfigureAwait(false);
                await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
                return new ChildExit(process.ExitCode, _time.GetUtcNow() - started, false, true, "stopping");
            }

            var state = Status.State;
            if (state is not (DiodeState.Validated or DiodeState.Published) && _time.GetUtcNow() - _lastProgress > _options.RevalidateTimeout)
            {
                reason = $"not validated for {Duration.Format(_options.RevalidateTimeout)} ({state.ToString().ToLowerInvariant()})";
                LogNotValidated(_logger, process.Id, Duration.Format(_options.RevalidateTimeout));
                await StopChildAsync(process).ConfigureAwait(false);
                break;
            }
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        var uptime = _time.GetUtcNow() - started;
        int code = process.ExitCode;
        reason = reason == "exited" ? $"exited with code {code} after {uptime.TotalSeconds:F1} s" : reason;
        Update(s => s with { State = DiodeState.Crashed, Detail = reason, Pid = null, LastExitCode = code, FailingSince = s.FailingSince ?? _time.GetUtcNow() });
        return new ChildExit(code, uptime, uptime >= _options.StableAfter, false, reason);
    }

    private async Task ReadLinesAsync(StreamReader reader, int pid)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            LogClientLine(_logger, pid, line);
            var e = DiodeLogParser.Parse(line);
            var now = _time.GetUtcNow();
            switch (e.Kind)
            {
                case DiodeLogKind.Version:
                    Update(s => s with { Version = e.Value });
                    break;
                case DiodeLogKind.ClientAddress:
                    Update(s => s with { ClientAddress = e.Value });
                    break;
                case DiodeLogKind.FleetAddress:
                    Update(s => s with { Fleet = e.Value });
                    break;
                case DiodeLogKind.Connected:
                    Update(s => s with { Node = e.Value, State = s.State is DiodeState.Starting or DiodeState.Disconnected ? DiodeState.Connecting : s.State });
                    break;
                case DiodeLogKind.ConnectFailed:
                    Update(s => s with { State = DiodeState.Connecting, Detail = "cannot reach the Diode network; the client retries" });
                    break;
                case DiodeLogKind.Validated:
                    _lastProgress = now;
                    if (Update(s => s with { State = s.State == DiodeState.Published ? DiodeState.Published : DiodeState.Validated, Detail = $"network validated at block {e.Value}", FailingSince = null }))
                    {
                        LogValidated(_logger, e.Value ?? "?");
                    }

                    break;
                case DiodeLogKind.PortPublished:
                    Update(s => s with { State = s.State == DiodeState.Validated ? DiodeState.Published : s.State, Detail = "published " + e.Value });
                    break;
                case DiodeLogKind.Disconnected:
                    _lastProgress = now;
                    Update(s => s with { State = DiodeState.Disconnected, Detail = line.Trim(), FailingSince = s.FailingSince ?? now });
                    break;
                case DiodeLogKind.CommandError:
                    Update(s => s with { Detail = line.Trim() });
                    break;
            }
        }
    }

    /// <summary>SIGTERM to the client's process group, SIGKILL after the grace; returns once it is reaped.</summary>
    private async Task StopChildAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        ProcessSignals.SignalGroup(process.Id, ProcessSignals.SigTerm);
        try
        {
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(_options.StopGrace, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogKilled(_logger, process.Id, _options.StopGrace.TotalSeconds);
            ProcessSignals.SignalGroup(process.Id, ProcessSignals.SigKill);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        ProcessSignals.SignalGroup(process.Id, ProcessSignals.SigKill);
    }

    private static async Task<bool> SupportsNoDaemonAsync(string binary, CancellationToken cancellationToken)
    {
        var (_, output) = await RunToEndAsync(binary, ["-h"], cancellationToken).ConfigureAwait(false);
        return output.Contains("-no-daemon", StringComparison.Ordinal);
    }

    private async Task SetFleetOnceAsync(string binary, CancellationToken cancellationToken)
    {
        if (_fleetSet || string.IsNullOrEmpty(_options.Fleet))
        {
            return;
        }

        var (code, output) = await RunToEndAsync(binary, DiodeCommandLine.SetFleet(_options), cancellationToken).ConfigureAwait(false);
        _fleetSet = code == 0;
        if (code != 0)
        {
            LogFleetFailed(_logger, _options.Fleet, code, output.Trim());
        }
    }

    private static async Task<(int Code, string Output)> RunToEndAsync(string binary, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return (-1, "timed out");
        }

        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
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
        lock (_statusGate)
        {
            var before = _status.State;
            _status = change(_status);
            return _status.State != before;
        }
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "diode: started pid {Pid}: {Binary} {Arguments}")]
    private static partial void LogStarted(ILogger logger, int pid, string binary, string arguments);

    [LoggerMessage(Level = LogLevel.Debug, Message = "diode[{Pid}]: {Line}")]
    private static partial void LogClientLine(ILogger logger, int pid, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "diode: network validated (block {Block})")]
    private static partial void LogValidated(ILogger logger, string block);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diode: client {Reason}; restarting in {Seconds:F1} s")]
    private static partial void LogRestarting(ILogger logger, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diode: client pid {Pid} has not validated the network for {Timeout}; restarting it")]
    private static partial void LogNotValidated(ILogger logger, int pid, string timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "diode: client pid {Pid} ignored SIGTERM for {Seconds} s; killed")]
    private static partial void LogKilled(ILogger logger, int pid, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "diode: client not found at {Where}; install it with: {Hint}")]
    private static partial void LogNotFound(ILogger logger, string where, string hint);

    [LoggerMessage(Level = LogLevel.Error, Message = "diode: could not set fleet {Fleet} (exit {Code}): {Output}")]
    private static partial void LogFleetFailed(ILogger logger, string fleet, int code, string output);
}
