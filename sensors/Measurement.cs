namespace Diode.Edge.Sensors;

/// <summary>One value of one quantity in a reading.</summary>
public readonly record struct Measurement(Quantity Quantity, double Value);
