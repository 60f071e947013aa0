using System.Device.Gpio;
using System.Diagnostics;

namespace Diode.Edge.Tests.Support.Hardware;

/// <summary>
/// A GPIO chip with 54 lines, driven the way System.Device.Gpio drives a real one. A test sets an input's level with
/// <see cref="Drive"/>, which raises the edge callbacks like the kernel's line events; a line with an attached
/// <see cref="Dht22Line"/> answers the DHT22's single-wire protocol in real time.
/// </summary>
public sealed class EmulatedGpioDriver : GpioDriver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, Line> _lines = [];

    protected override int PinCount => 54;

    /// <summary>Attaches a DHT22 to <paramref name="pin"/>.</summary>
    public Dht22Line AttachDht22(int pin)
    {
        var dht = new Dht22Line();
        lock (_gate)
        {
            LineOf(pin).Dht22 = dht;
        }

        return dht;
    }

    /// <summary>Drives an input line to <paramref name="level"/> from outside (a button); raises the edge if it changed.</summary>
    public void Drive(int pin, PinValue level)
    {
        List<PinChangeEventHandler> callbacks;
        PinEventTypes edge;
        lock (_gate)
        {
            var line = LineOf(pin);
            if (line.External == level)
            {
                return;
            }

            line.External = level;
            edge = level == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            callbacks = [.. line.Callbacks.Where(c => (c.Types & edge) != 0).Select(c => c.Handler)];
        }

        foreach (var callback in callbacks)
        {
            callback(this, new PinValueChangedEventArgs(edge, pin));
        }
    }

    public bool IsOpen(int pin)
    {
        lock (_gate)
        {
            return _lines.TryGetValue(pin, out var line) && line.Open;
        }
    }

    protected override void OpenPin(int pinNumber)
    {
        lock (_gate)
        {
            LineOf(pinNumber).Open = true;
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_gate)
        {
            var line = LineOf(pinNumber);
            line.Open = false;
            line.Callbacks.Clear();
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_gate)
        {
            var line = LineOf(pinNumber);
            line.Mode = mode;
            if (mode is PinMode.Input or PinMode.InputPullUp or PinMode.InputPullDown)
            {
                // The host releases the line: a DHT22 that saw its start signal begins to answer now.
                line.Dht22?.HostReleased(Stopwatch.GetTimestamp());
                if (line.External is null)
                {
                    line.External = mode == PinMode.InputPullDown ? PinValue.Low : PinValue.High;
                }
            }
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_gate)
        {
            return LineOf(pinNumber).Mode;
        }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber)
    {
        Line line;
        lock (_gate)
        {
            line = LineOf(pinNumber);
        }

        if (line.Mode == PinMode.Output)
        {
            return line.Output;
        }

        return line.Dht22?.Level(Stopwatch.GetTimestamp()) ?? line.External ?? PinValue.High;
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_gate)
        {
            var line = LineOf(pinNumber);
            line.Output = value;
            line.Dht22?.HostDrove(value, Stopwatch.GetTimestamp());
        }
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the agent uses edge callbacks, not blocking waits");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            LineOf(pinNumber).Callbacks.Add((eventTypes, callback));
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            LineOf(pinNumber).Callbacks.RemoveAll(c => c.Handler == callback);
        }
    }

    private Line LineOf(int pin)
    {
        if (pin is < 0 or >= 54)
        {
            throw new InvalidOperationException($"GPIO{pin} does not exist on this chip");
        }

        if (!_lines.TryGetValue(pin, out var line))
        {
            _lines[pin] = line = new Line();
        }

        return line;
    }

    private sealed class Line
    {
        public bool Open { get; set; }

        public PinMode Mode { get; set; } = PinMode.Input;

        public PinValue Output { get; set; } = PinValue.Low;

        public PinValue? External { get; set; }

        public Dht22Line? Dht22 { get; set; }

        public List<(PinEventTypes Types, PinChangeEventHandler Handler)> Callbacks { get; } = [];
    }
}
