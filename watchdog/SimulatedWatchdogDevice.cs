namespace Diode.Edge.Watchdog;

/// <summary>
/// A watchdog in memory with the kernel's semantics (drivers/watchdog/watchdog_dev.c): opening arms it, a keepalive
/// restarts the timer, it expires <see cref="GetTimeout"/> after the last keepalive, closing after a magic 'V'
/// disarms it unless nowayout, closing without it leaves it running, and a second open while one is open is busy.
/// Used by the development config and the tests; it logs the reset instead of resetting anything.
/// </summary>
public sealed class SimulatedWatchdogDevice : IWatchdogDevice
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> OpenDevices = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly bool _nowayout;
    private readonly TimeSpan _maxTimeout;
    private readonly Lock _gate = new();
    private readonly List<DateTimeOffset> _pets = [];
    private TimeSpan _timeout = TimeSpan.FromSeconds(15);
    private DateTimeOffset _lastPet;
    private bool _magicArmed;
    private bool _closed;

    private SimulatedWatchdogDevice(string name, TimeProvider time, bool nowayout, TimeSpan maxTimeout, bool lastRebootByWatchdog)
    {
        Name = name;
        _time = time;
        _nowayout = nowayout;
        _maxTimeout = maxTimeout;
        _lastPet = time.GetUtcNow();
        Info = new WatchdogInfo("simulated watchdog", WatchdogInfo.SetTimeout | WatchdogInfo.MagicClose | WatchdogInfo.KeepalivePing, 0, lastRebootByWatchdog);
    }

    public WatchdogInfo Info { get; }

    public string Name { get; }

    /// <summary>True once the timer ran out while armed: the moment a real board would have reset.</summary>
    public bool Expired => ExpiredAt is not null;

    public DateTimeOffset? ExpiredAt
    {
        get
        {
            lock (_gate)
            {
                return Disarmed ? null : _lastPet + _timeout <= _time.GetUtcNow() ? _lastPet + _timeout : null;
            }
        }
    }

    /// <summary>Closed after a magic 'V' without nowayout: the timer is stopped.</summary>
    public bool Disarmed { get; private set; }

    public bool MagicCloseWritten { get; private set; }

    public IReadOnlyList<DateTimeOffset> Pets
    {
        get
        {
            lock (_gate)
            {
                return [.. _pets];
            }
        }
    }

    /// <summary>Opens the device called <paramref name="name"/>; a second open while it is open fails with EBUSY, as the kernel's does.</summary>
    public static SimulatedWatchdogDevice Open(TimeProvider time, string name = "simulated", bool nowayout = false, TimeSpan? maxTimeout = null, bool lastRebootByWatchdog = false)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (!OpenDevices.TryAdd(name, true))
        {
            throw new WatchdogException($"{name}: Device or resource busy", WatchdogException.EBUSY);
        }

        return new SimulatedWatchdogDevice(name, time, nowayout, maxTimeout ?? TimeSpan.FromSeconds(15), lastRebootByWatchdog);
    }

    public TimeSpan SetTimeout(TimeSpan timeout)
    {
        lock (_gate)
        {
            ThrowIfClosed();
            if (timeout <= TimeSpan.Zero)
            {
                throw new WatchdogException("simulated watchdog: WDIOC_SETTIMEOUT: Invalid argument", WatchdogException.EINVAL);
            }

            _timeout = timeout > _maxTimeout ? _maxTimeout : TimeSpan.FromSeconds(Math.Ceiling(timeout.TotalSeconds));
            _lastPet = _time.GetUtcNow();
            return _timeout;
        }
    }

    public TimeSpan GetTimeout() => _timeout;

    public TimeSpan? GetTimeLeft()
    {
        lock (_gate)
        {
            var left = _lastPet + _timeout - _time.GetUtcNow();
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    public void Keepalive()
    {
        lock (_gate)
        {
            ThrowIfClosed();
            var now = _time.GetUtcNow();
            if (_lastPet + _timeout <= now)
            {
                return;
            }

            _lastPet = now;
            _pets.Add(now);
            _magicArmed = false;
        }
    }

    public void MagicClose()
    {
        lock (_gate)
        {
            ThrowIfClosed();
            _magicArmed = true;
            MagicCloseWritten = true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            Disarmed = _magicArmed && !_nowayout;
        }

        OpenDevices.TryRemove(Name, out _);
    }

    private void ThrowIfClosed()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
    }
}
