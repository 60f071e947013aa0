using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Diode.Edge.Interop;

namespace Diode.Edge.Watchdog;

/// <summary>
/// Keeps the board alive only while the agent is healthy. A dedicated high-priority thread (not the thread pool, so a
/// starved pool cannot pet) asks the <see cref="HealthGate"/> before every pet of the hardware watchdog and every
/// <c>WATCHDOG=1</c> to systemd. When the gate closes the log says why; after <c>watchdog.grace</c> it stops petting
/// for good and the hardware resets the board. An orderly stop writes the magic 'V'; a crash never does.
/// </summary>
public sealed partial class WatchdogService : IHostedService, IDisposable
{
    private static readonly ServiceState WatchdogPing = new("WATCHDOG=1");
    private readonly WatchdogOptions _options;
    private readonly HealthGate _gate;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ISystemdNotifier? _notifier;
    private readonly Func<string, IWatchdogDevice> _open;
    private readonly ResetLoopWatch? _resetLoop;
    private readonly ManualResetEventSlim _stop = new();
    private IWatchdogDevice? _device;
    private Thread? _thread;
    private TimeSpan? _systemdInterval;
    private volatile WatchdogStatus _status;
    private long _pets;

    /// <param name="resetLoop">The boot history and its reset-loop guard; null: no history is kept (and no loop is ever suspended).</param>
    public WatchdogService(WatchdogOptions options, HealthGate gate, TimeProvider time, ILogger<WatchdogService> logger, ISystemdNotifier? notifier = null, Func<string, IWatchdogDevice>? open = null, ResetLoopGuard? resetLoop = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _gate = gate;
        _time = time;
        _logger = logger;
        _notifier = notifier;
        _resetLoop = resetLoop is null ? null : new ResetLoopWatch(resetLoop, gate, options, time, logger);
        _open = open ?? (path => path == "simulated" ? SimulatedWatchdogDevice.Open(time) : LinuxWatchdogDevice.Open(path));
        _status = new WatchdogStatus(WatchdogMode.Off, "disabled in config", null, null, null, false, null, false, 0);
    }

    public WatchdogStatus Status => _status with { Pets = Interlocked.Read(ref _pets), ResetLoop = _resetLoop?.Suspension };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _systemdInterval = SystemdWatchdogInterval();
        if (_options.Enabled)
        {
            OpenDevice();
        }

        if (_systemdInterval is { } interval)
        {
            _status = _status with { SystemdInterval = interval };
            LogSystemdWatchdog(_logger, interval.TotalMilliseconds);
        }

        _resetLoop?.StartBoot(_status.LastRebootByWatchdog);
        if (_device is not null || _systemdInterval is not null)
        {
            _thread = new Thread(PetLoop) { IsBackground = true, Name = "diode-edge watchdog" };
            try
            {
                _thread.Priority = ThreadPriority.Highest;
            }
            catch (Exception ex) when (ex is ThreadStateException or System.Security.SecurityException)
            {
            }

            _thread.Start();
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stop.Set();
        _resetLoop?.Dispose();
        if (_thread is { } thread)
        {
            await Task.Run(() => thread.Join(TimeSpan.FromSeconds(5)), cancellationToken).ConfigureAwait(false);
        }

        if (_device is { } device)
        {
            if (!_status.StoppedForGood)
            {
                device.MagicClose();
                LogMagicClose(_logger);
            }

            device.Dispose();
            _device = null;
        }
    }

    /// <summary>Without <see cref="StopAsync"/> (a crash): the device is closed without the magic 'V', so its timer runs on.</summary>
    public void Dispose()
    {
        _stop.Set();
        _resetLoop?.Dispose();
        // The pet thread must be out of its wait and done with the device before either is disposed under it.
        _thread?.Join(TimeSpan.FromSeconds(5));
        _device?.Dispose();
        _stop.Dispose();
    }

    private void OpenDevice()
    {
        string path = _options.Device;
        if (path != "simulated" && !File.Exists(path))
        {
            _status = _status with { Detail = $"no {path}" };
            LogOff(_logger, $"no {path} (on a Pi: add dtparam=watchdog=on to the boot config)");
            return;
        }

        try
        {
            _device = _open(path);
        }
        catch (WatchdogException ex) when (ex.Errno == WatchdogException.EBUSY)
        {
            _status = _status with { Mode = WatchdogMode.SystemdOnly, Detail = $"{path} is busy" };
            LogBusy(_logger, path);
            return;
        }
        catch (WatchdogException ex)
        {
            string detail = ex.Errno == WatchdogException.EACCES ? $"permission denied on {path}: add user diode-edge to group watchdog" : ex.Message;
            _status = _status with { Detail = detail };
            LogOff(_logger, detail);
            return;
        }

        var requested = _options.Timeout;
        var max = MaxTimeout(path);
        if (max is { } limit && requested > limit)
        {
            LogClamped(_logger, requested.TotalSeconds, limit.TotalSeconds, path);
            requested = limit;
        }

        TimeSpan actual;
        try
        {
            actual = _device.SetTimeout(requested);
        }
        catch (WatchdogException ex)
        {
            actual = _device.GetTimeout();
            LogTimeoutKept(_logger, ex.Message, actual.TotalSeconds);
        }

        if (actual != requested)
        {
            LogClamped(_logger, requested.TotalSeconds, actual.TotalSeconds, path);
        }

        var info = _device.Info;
        _status = _status with { Mode = WatchdogMode.Device, Detail = path, Identity = info.Identity, Timeout = actual, LastRebootByWatchdog = info.LastRebootByWatchdog };
        LogOpened(_logger, path, info.Identity, actual.TotalSeconds, _options.PetInterval.TotalSeconds);
        if (info.LastRebootByWatchdog)
        {
            LogRebootedByWatchdog(_logger, path);
        }
    }

    /// <summary>
    /// Real-time round-robin scheduling for the calling thread (like the Debian watchdog daemon's <c>realtime</c>), so
    /// a busy CPU cannot delay a pet; needs root or CAP_SYS_NICE (the packaged unit grants it).
    /// </summary>
    private unsafe void MakeRealtime()
    {
        int priority = 50;
        if (OperatingSystem.IsLinux() && Libc.SchedSetScheduler(Libc.GetTid(), Libc.SchedRoundRobin, &priority) == 0)
        {
            LogRealtime(_logger, "SCHED_RR priority 50");
            return;
        }

        LogRealtime(_logger, "normal priority (grant CAP_SYS_NICE for real-time scheduling)");
    }

    private void PetLoop()
    {
        MakeRealtime();
        var device = _device;
        var petEvery = _options.PetInterval;
        var notifyEvery = _systemdInterval ?? TimeSpan.MaxValue;
        var checkEvery = TimeSpan.FromMilliseconds(250);
        long nextPet = device is null ? long.MaxValue : _time.GetTimestamp();
        long nextNotify = _systemdInterval is null ? long.MaxValue : _time.GetTimestamp();
        long closedSince = 0;
        long openSince = 0;
        GateFailure? recorded = null;
        while (!_stop.IsSet)
        {
            var failing = _gate.FirstFailingCheck();
            long now = _time.GetTimestamp();
            if (failing is null)
            {
                if (closedSince != 0)
                {
                    closedSince = 0;
                    openSince = now;
                    _status = _status with { FailingCheck = null };
                    LogGateOpen(_logger);
                }

                // Open for a whole timeout again: a reset later in this boot would not be that check's doing. (Not at
                // once: a check that flaps would write the SD card twice per flap.)
                if (recorded is not null && openSince != 0 && _time.GetElapsedTime(openSince, now) >= _options.Timeout)
                {
                    recorded = null;
                    _resetLoop?.Record(null);
                }
            }
            else
            {
                // The boot history learns which check closed the gate now, before the grace runs out (and again when
                // another check takes its place), so the next boot knows what reset the board.
                if (recorded is null || recorded.Check != failing.Check || recorded.AgentLiveness != failing.AgentLiveness)
                {
                    recorded = failing;
                    _resetLoop?.Record(failing);
                }

                if (closedSince == 0)
                {
                    closedSince = now;
                    _status = _status with { FailingCheck = failing.Message };
                    LogGateClosed(_logger, failing.Message, _options.Grace.TotalSeconds);
                }
                else if (_time.GetElapsedTime(closedSince, now) >= _options.Grace)
                {
                    _status = _status with { StoppedForGood = true, FailingCheck = failing.Message };
                    LogStoppedForGood(_logger, failing.Message, _options.Grace.TotalSeconds);
                    return;
                }
            }

            // Healthy, or unhealthy for less than the grace: a fault that clears within watchdog.grace must not reset the
            // board, so the device (and systemd) are fed until the grace runs out; the reset comes one timeout after that.
            if (now >= nextPet)
            {
                device!.Keepalive();
                Interlocked.Increment(ref _pets);
                nextPet = Math.Max(nextPet + Ticks(petEvery), now + (Ticks(petEvery) / 2));
            }

            if (now >= nextNotify)
            {
                _notifier!.Notify(WatchdogPing);
                nextNotify = Math.Max(nextNotify + Ticks(notifyEvery), now + (Ticks(notifyEvery) / 2));
            }

            // Sleep until the next pet or ping is due, but look at the gate at least every 250 ms.
            long due = Math.Min(nextPet, nextNotify);
            var wait = due == long.MaxValue ? checkEvery : _time.GetElapsedTime(now, Math.Max(due, now));
            _stop.Wait(wait < checkEvery ? (wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait) : checkEvery);
        }
    }

    private long Ticks(TimeSpan interval) => interval == TimeSpan.MaxValue ? long.MaxValue / 2 : (long)(interval.TotalSeconds * _time.TimestampFrequency);

    private TimeSpan? SystemdWatchdogInterval()
    {
        if (_notifier is null || !_notifier.IsEnabled || !long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out long usec) || usec <= 0)
        {
            return null;
        }

        if (int.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_PID"), out int pid) && pid != Environment.ProcessId)
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(usec / 2.0);
    }

    /// <summary>The driver's maximum timeout from sysfs (<c>/sys/class/watchdog/watchdogN/max_timeout</c>), where it says.</summary>
    private static TimeSpan? MaxTimeout(string path)
    {
        string name = Path.GetFileName(path) == "watchdog" ? "watchdog0" : Path.GetFileName(path);
        string file = $"/sys/class/watchdog/{name}/max_timeout";
        return File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out int seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "watchdog: {Path} ({Identity}) armed, timeout {Timeout} s, petted every {Interval} s while healthy")]
    private static partial void LogOpened(ILogger logger, string path, string identity, double timeout, double interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "watchdog: the last reboot was caused by the watchdog ({Path} boot status)")]
    private static partial void LogRebootedByWatchdog(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "watchdog: off ({Reason})")]
    private static partial void LogOff(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "watchdog: {Path} is busy (systemd's RuntimeWatchdogSec or another watchdog daemon holds it); relying on the systemd service watchdog alone")]
    private static partial void LogBusy(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "watchdog: timeout {Requested} s is more than {Path} allows; using {Actual} s")]
    private static partial void LogClamped(ILogger logger, double requested, double actual, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "watchdog: cannot set the timeout ({Reason}); keeping the driver's {Seconds} s")]
    private static partial void LogTimeoutKept(ILogger logger, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "watchdog: systemd service watchdog on, WATCHDOG=1 every {Milliseconds} ms while healthy")]
    private static partial void LogSystemdWatchdog(ILogger logger, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "watchdog: health gate closed: {Failure}; petting stops for good in {Grace} s unless it recovers")]
    private static partial void LogGateClosed(ILogger logger, string failure, double grace);

    [LoggerMessage(Level = LogLevel.Information, Message = "watchdog: health gate open again; petting")]
    private static partial void LogGateOpen(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "watchdog: unhealthy for {Grace} s ({Failure}): stopped petting for good; the board will reset")]
    private static partial void LogStoppedForGood(ILogger logger, string failure, double grace);

    [LoggerMessage(Level = LogLevel.Information, Message = "watchdog: pet thread runs at {Scheduling}")]
    private static partial void LogRealtime(ILogger logger, string scheduling);

    [LoggerMessage(Level = LogLevel.Information, Message = "watchdog: orderly stop, magic close written (the timer is disarmed where the driver allows)")]
    private static partial void LogMagicClose(ILogger logger);
}
