using System.Device.Gpio;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Diode.Edge.Sensors.Devices;

/// <summary>
/// A GPIO input (button, reed switch, PIR) published as <c>state</c> 0/1. Edges come from the GPIO driver's interrupt
/// callback and are published at once with the edge's time, debounced: the first edge after a quiet period is taken
/// immediately, edges within <c>debounce</c> of it are contact bounce, and when the bouncing settles on a level other
/// than the one published, that level follows. The level is also read on the interval, as a heartbeat.
/// </summary>
public sealed class GpioInputSensor : IEventSensor
{
    private static readonly Quantity[] s_quantities = [Quantity.State];

    private readonly GpioController _controller;
    private readonly int _pin;
    private readonly GpioPull _pull;
    private readonly TimeSpan _debounce;
    private readonly TimeProvider _timeProvider;
    private readonly Channel<Reading> _events = Channel.CreateBounded<Reading>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly Lock _gate = new();
    private ITimer? _settle;
    private long _lastAcceptedAt = long.MinValue;
    private int _published = -1;
    private bool _open;

    public GpioInputSensor(GpioController controller, int pin, GpioPull pull, TimeSpan debounce, TimeProvider timeProvider)
    {
        _controller = controller;
        _pin = pin;
        _pull = pull;
        _debounce = debounce;
        _timeProvider = timeProvider;
    }

    public static IReadOnlyList<Quantity> Publishes => s_quantities;

    public IReadOnlyList<Quantity> Quantities => s_quantities;

    public ValueTask StartAsync(CancellationToken cancellationToken)
    {
        var mode = _pull switch { GpioPull.Up => PinMode.InputPullUp, GpioPull.Down => PinMode.InputPullDown, _ => PinMode.Input };
        try
        {
            if (!_controller.IsPinModeSupported(_pin, mode))
            {
                throw new SensorStartException($"GPIO{_pin} does not support {mode} on this board");
            }

            _controller.OpenPin(_pin, mode);
            _open = true;
            lock (_gate)
            {
                _published = (int)_controller.Read(_pin);
            }

            _controller.RegisterCallbackForPinValueChangedEvent(_pin, PinEventTypes.Rising | PinEventTypes.Falling, OnEdge);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new SensorStartException($"cannot watch GPIO{_pin}: {ex.Message} (is another program using the pin? see: gpioinfo)", ex);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<Reading> ReadAsync(CancellationToken cancellationToken)
    {
        int level = (int)_controller.Read(_pin);
        return ValueTask.FromResult(new Reading(_timeProvider.GetUtcNow(), [new Measurement(Quantity.State, level)]));
    }

    public async IAsyncEnumerable<Reading> EventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await _events.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_events.Reader.TryRead(out var reading))
            {
                yield return reading;
            }
        }
    }

    public void Dispose()
    {
        if (_open)
        {
            _controller.UnregisterCallbackForPinValueChangedEvent(_pin, OnEdge);
            _controller.ClosePin(_pin);
            _open = false;
        }

        lock (_gate)
        {
            _settle?.Dispose();
        }

        _events.Writer.TryComplete();
    }

    private void OnEdge(object sender, PinValueChangedEventArgs e)
    {
        long now = _timeProvider.GetTimestamp();
        var at = _timeProvider.GetUtcNow();
        int level = e.ChangeType == PinEventTypes.Rising ? 1 : 0;
        lock (_gate)
        {
            bool bouncing = _lastAcceptedAt != long.MinValue && _timeProvider.GetElapsedTime(_lastAcceptedAt, now) < _debounce;
            if (bouncing)
            {
                // Look again once the contact has settled.
                _settle ??= _timeProvider.CreateTimer(_ => Settle(), null, _debounce - _timeProvider.GetElapsedTime(_lastAcceptedAt, now), Timeout.InfiniteTimeSpan);
                return;
            }

            if (level == _published)
            {
                return;
            }

            Accept(level, now, at);
        }
    }

    private void Settle()
    {
        int level = (int)_controller.Read(_pin);
        lock (_gate)
        {
            _settle?.Dispose();
            _settle = null;
            if (level != _published)
            {
                Accept(level, _timeProvider.GetTimestamp(), _timeProvider.GetUtcNow());
            }
        }
    }

    private void Accept(int level, long timestamp, DateTimeOffset at)
    {
        _published = level;
        _lastAcceptedAt = timestamp;
        _events.Writer.TryWrite(new Reading(at, [new Measurement(Quantity.State, level)]));
    }
}
