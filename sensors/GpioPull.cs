namespace Diode.Edge.Sensors;

/// <summary>The internal resistor of a GPIO input.</summary>
public enum GpioPull
{
    None,
    Up,
    Down,
}
