using Microsoft.Extensions.Logging;

namespace Diode.Edge.Watchdog;

/// <summary>
/// The watchdog's boot history (<see cref="ResetLoopGuard"/>): this boot added at start, the check that closes the
/// health gate recorded as it happens (so the next boot knows what reset the board), and, when the boots before this
/// one make a reset loop, that check suspended in the gate until it passes again for a whole grace and timeout, or the
/// history is cleared by hand. Logs as the <see cref="WatchdogService"/> that owns it.
/// </summary>
internal sealed partial class ResetLoopWatch : IDisposable
{
    private readonly ResetLoopGuard _guard;
    private readonly HealthGate _gate;
    private readonly WatchdogOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private volatile ResetLoopSuspension? _suspension;
    private ITimer? _timer;
    private long _passingSince;

    public ResetLoopWatch(ResetLoopGuard guard, HealthGate gate, WatchdogOptions options, TimeProvider time, ILogger logger)
    {
        _guard = guard;
        _gate = gate;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The reset loop this boot is in, whose check is suspended; null when there is none.</summary>
    public ResetLoopSuspension? Suspension => _suspension;

    public void Dispose() => _timer?.Dispose();

    /// <summary>Adds this boot to the history and, when the boots before it make a reset loop, suspends its check.</summary>
    public void StartBoot(bool lastRebootByWatchdog)
    {
        ResetLoopSuspension? loop;
        try
        {
            loop = _guard.StartBoot(lastRebootByWatchdog, out string? problem);
            if (problem is not null)
            {
                LogHistoryUnreadable(_logger, problem);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogHistoryUnwritable(_logger, _guard.File.Path, ex.Message);
            return;
        }

        if (loop is null)
        {
            return;
        }

        _suspension = loop;
        _gate.Suspended = loop.Check;
        LogResetLoopSuspended(_logger, loop.Check, loop.Boots);
        // Off the pet thread (file reads): the suspension ends when the check passes again, or the history was cleared by hand.
        var every = _options.PetInterval < TimeSpan.FromSeconds(1) ? _options.PetInterval : TimeSpan.FromSeconds(1);
        _timer = _time.CreateTimer(_ => Watch(), null, every, every);
    }

    private void Watch()
    {
        lock (_lock)
        {
            if (_suspension is not { } loop)
            {
                return;
            }

            try
            {
                // Passing means passing for as long as a failure takes to reset the board (grace plus timeout): a sensor
                // that reads once after boot and dies again must not clear the history and start the loop over.
                if (!_gate.Passes(loop.Check))
                {
                    _passingSince = 0;
                }
                else if (_passingSince == 0)
                {
                    _passingSince = _time.GetTimestamp();
                }

                if (_passingSince != 0 && _time.GetElapsedTime(_passingSince) >= _options.Grace + _options.Timeout)
                {
                    _guard.Clear();
                    EndSuspension();
                    LogResetLoopOverPassed(_logger, loop.Check);
                }
                else if (_guard.CurrentLoop()?.Check != loop.Check)
                {
                    EndSuspension();
                    LogResetLoopOverCleared(_logger, loop.Check);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogHistoryUnwritable(_logger, _guard.File.Path, ex.Message);
            }
        }
    }

    private void EndSuspension()
    {
        _gate.Suspended = null;
        _suspension = null;
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Which check closed the gate (null: the gate is open again). On the pet thread, at a change of the gate only: a
    /// slow SD card delays one pet, well within the timeout.
    /// </summary>
    public void Record(GateFailure? failing)
    {
        try
        {
            if (failing is null)
            {
                _guard.RecordGateOpen();
            }
            else
            {
                _guard.RecordGateClosed(failing);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogHistoryUnwritable(_logger, _guard.File.Path, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "watchdog: reset loop: {Check} closed the health gate and the watchdog reset the board on each of the last {Boots} boots; on this boot {Check} no longer stops the petting, so the board stays up and reachable (the agent's own liveness still resets it). It ends when {Check} passes again, or by hand: diode-edge watchdog reset-loop clear")]
    private static partial void LogResetLoopSuspended(ILogger logger, string check, int boots);

    [LoggerMessage(Level = LogLevel.Information, Message = "watchdog: reset loop over: {Check} passes again; the boot history is cleared and {Check} closes the health gate again")]
    private static partial void LogResetLoopOverPassed(ILogger logger, string check);

    [LoggerMessage(Level = LogLevel.Information, Message = "watchdog: reset loop over: the boot history was cleared; {Check} closes the health gate again")]
    private static partial void LogResetLoopOverCleared(ILogger logger, string check);

    [LoggerMessage(Level = LogLevel.Warning, Message = "watchdog: the boot history cannot be read ({Problem}); starting a new one")]
    private static partial void LogHistoryUnreadable(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "watchdog: cannot write the boot history {Path} ({Reason}); reset loops are not recognised")]
    private static partial void LogHistoryUnwritable(ILogger logger, string path, string reason);
}
