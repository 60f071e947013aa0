using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Clock;

/// <summary>
/// The system clock's synchronisation as every frame states it (<c>"clock":"synced"|"unsynced"</c>) and /health shows
/// it: read from its source for each frame (one system call), with the first read and every change logged once.
/// </summary>
internal sealed partial class ClockMonitor
{
    private readonly IClockSyncSource _source;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private ClockSync? _last;
    private DateTimeOffset? _syncedAt;
    private long _unsyncedFrames;

    public ClockMonitor(IClockSyncSource source, TimeProvider timeProvider, ILogger<ClockMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _source = source;
        _time = timeProvider;
        _logger = logger;
    }

    /// <summary>Frames stamped <c>"clock":"unsynced"</c> since start.</summary>
    public long UnsyncedFrames => Interlocked.Read(ref _unsyncedFrames);

    /// <summary>When the clock was last seen to become synchronised (by the clock itself), if it was.</summary>
    public DateTimeOffset? SyncedAt
    {
        get
        {
            lock (_gate)
            {
                return _syncedAt;
            }
        }
    }

    /// <summary>The clock's state now (and a log line when it changed).</summary>
    public ClockSync Read()
    {
        var now = _source.Read();
        lock (_gate)
        {
            if (_last is not { } last || last.Synchronized != now.Synchronized)
            {
                _last = now;
                if (now.Synchronized)
                {
                    _syncedAt = _time.GetUtcNow();
                    LogSynced(_logger, now.MaxErrorMicroseconds / 1000.0, now.KernelStateName);
                }
                else
                {
                    LogUnsynced(_logger, now.MaxErrorMicroseconds / 1000.0, now.KernelStateName);
                }
            }
        }

        return now;
    }

    /// <summary>For the frame encoder: whether the clock is synchronised now; a frame stamped unsynced is counted.</summary>
    public bool SynchronizedForFrame()
    {
        bool synced = Read().Synchronized;
        if (!synced)
        {
            Interlocked.Increment(ref _unsyncedFrames);
        }

        return synced;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "clock: the system clock is synchronised (maximum error {MaxErrorMs} ms, {KernelState}); frames say \"clock\":\"synced\"")]
    private static partial void LogSynced(ILogger logger, double maxErrorMs, string kernelState);

    [LoggerMessage(Level = LogLevel.Warning, Message = "clock: the system clock is not synchronised (maximum error {MaxErrorMs} ms, {KernelState}): frame times may be wrong, and frames say \"clock\":\"unsynced\" until it is (timedatectl set-ntp true)")]
    private static partial void LogUnsynced(ILogger logger, double maxErrorMs, string kernelState);
}
